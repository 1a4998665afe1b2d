import { describe, expect, it } from 'vitest';
import { buildUpdate } from '../../lambdas/adapters/update-expression.js';

describe('buildUpdate', () => {
  it('sets, sets if missing, removes and conditions with placeholders only', () => {
    const update = buildUpdate({
      set: { name: 'x', skipped: undefined },
      setIfMissing: { created_at: 't' },
      remove: ['old'],
      expect: { version: 3, absent: undefined },
    });

    expect(update.UpdateExpression).toBe('SET #a0 = :v1, #a2 = if_not_exists(#a2, :v3) REMOVE #a4');
    expect(update.ConditionExpression).toBe('#a5 = :v6 AND attribute_not_exists(#a7)');
    expect(update.ExpressionAttributeNames).toEqual({
      '#a0': 'name',
      '#a2': 'created_at',
      '#a4': 'old',
      '#a5': 'version',
      '#a7': 'absent',
    });
    expect(update.ExpressionAttributeValues).toEqual({ ':v1': 'x', ':v3': 't', ':v6': 3 });
  });
});
