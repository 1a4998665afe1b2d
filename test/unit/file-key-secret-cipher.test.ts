import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeySecretCipher } from '../../lambdas/adapters/file-key-secret-cipher.js';
import { SecretDecryptionError } from '../../lambdas/core/secret-cipher.js';

const context = { partnerId: 'acme', organizationId: 'org-uuid', secretKey: 'OPENAI_API_KEY' };
const run = async (file: string, args: string[]) => (await promisify(execFile)(file, args)).stdout;
let dir: string;
let keyPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'logicnodes-cipher-'));
  keyPath = join(dir, 'secrets-key');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FileKeySecretCipher', () => {
  it('round-trips a value, and a new instance over the same file reads it back', async () => {
    const ciphertext = await new FileKeySecretCipher(keyPath).encrypt('sk_live_ünïcode', context);

    const plaintext = await new FileKeySecretCipher(keyPath).decrypt(ciphertext, context);

    expect(plaintext).toBe('sk_live_ünïcode');
    expect(Buffer.from(ciphertext).toString('latin1')).not.toContain('sk_live');
  });

  it('creates a 32-byte key file readable only by its owner on first use', async () => {
    await new FileKeySecretCipher(keyPath).encrypt('value', context);

    const stat = statSync(keyPath);
    expect(stat.size).toBe(32);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secrets-key']);
  });

  it.each([
    ['another organization', { organizationId: 'other-org' }],
    ['another partner', { partnerId: 'globex' }],
    ['another secret key', { secretKey: 'ANTHROPIC_API_KEY' }],
  ])('refuses to decrypt under %s', async (_, change) => {
    const cipher = new FileKeySecretCipher(keyPath);
    const ciphertext = await cipher.encrypt('value', context);

    const moved = cipher.decrypt(ciphertext, { ...context, ...change });

    await expect(moved).rejects.toBeInstanceOf(SecretDecryptionError);
  });

  it('refuses a tampered or truncated ciphertext', async () => {
    const cipher = new FileKeySecretCipher(keyPath);
    const ciphertext = Buffer.from(await cipher.encrypt('value', context));
    const tampered = Buffer.from(ciphertext);
    tampered[tampered.length - 1]! ^= 1;

    await expect(cipher.decrypt(tampered, context)).rejects.toBeInstanceOf(SecretDecryptionError);
    await expect(cipher.decrypt(ciphertext.subarray(0, 20), context)).rejects.toBeInstanceOf(
      SecretDecryptionError,
    );
  });

  it('gives processes that create the key at the same moment one and the same key', async () => {
    const script = fileURLToPath(new URL('../support/encrypt-once.ts', import.meta.url));
    const runs = Array.from({ length: 4 }, (_, i) =>
      run(process.execPath, ['--import', 'tsx', script, keyPath, `v${i}`]),
    );

    const ciphertexts = await Promise.all(runs);

    const cipher = new FileKeySecretCipher(keyPath);
    const readBack = await Promise.all(
      ciphertexts.map((text) => cipher.decrypt(Buffer.from(text, 'base64'), context)),
    );
    expect(readBack).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(readdirSync(dir)).toEqual(['secrets-key']);
  });
});
