import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin } from '../../local/twin.js';
import { logicnodes } from '../support/cli.js';

let dataDir: string;
let publicKeyPath: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'logicnodes-sharing-'));
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  publicKeyPath = join(dataDir, 'public.pem');
  writeFileSync(publicKeyPath, publicKey.export({ type: 'spki', format: 'pem' }));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const create = (id: string) =>
  logicnodes(
    ['partner', 'create', '--id', id, '--name', id, '--public-key', publicKeyPath],
    dataDir,
  );

describe('sharing the embedded store', () => {
  it('lets CLI commands run at the same time with no twin running', async () => {
    const results = await Promise.all(['p-one', 'p-two', 'p-three'].map(create));

    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
  });

  it('refuses to start a second twin on the same data folder', async () => {
    const first = await startTwin({ dataDir, port: 0 });
    try {
      await expect(startTwin({ dataDir, port: 0 })).rejects.toThrow(/Another local twin/);
    } finally {
      await first.stop();
    }
  });

  it('serves partners onboarded before it started', async () => {
    await create('p-before');
    const twin = await startTwin({ dataDir, port: 0 });
    try {
      const duplicate = await create('p-before');

      expect(duplicate.code).toBe(1);
      expect(JSON.parse(duplicate.stderr).error.code).toBe('partner_exists');
    } finally {
      await twin.stop();
    }
  });
});
