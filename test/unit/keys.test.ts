import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeKeyPart, organizationRefKey, userRefKey } from '../../lambdas/core/keys.js';

describe('encodeKeyPart', () => {
  it('never lets a partner-supplied id contain the # separator', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 128 }), (id) => {
        expect(encodeKeyPart(id)).not.toContain('#');
      }),
    );
  });

  it('maps distinct ids to distinct key parts', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(encodeKeyPart(a)).not.toBe(encodeKeyPart(b));
      }),
    );
  });

  it('keeps an id that imitates another item family inside its own sort key', () => {
    const key = organizationRefKey('acme', 'x#USER#victim');

    expect(key).toEqual({ pk: 'PARTNER#acme', sk: 'ORG#x%23USER%23victim' });
  });

  it('keeps user references in the partition of their organization', () => {
    expect(userRefKey('org-uuid', 'u/../1').pk).toBe('ORG#org-uuid');
  });
});
