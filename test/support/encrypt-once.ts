import { FileKeySecretCipher } from '../../lambdas/adapters/file-key-secret-cipher.js';

/**
 * A separate process for the key-creation race test: encrypts its argument with the key file
 * given and prints the ciphertext as base64.
 */
const [keyPath, value] = process.argv.slice(2);
const context = { partnerId: 'acme', organizationId: 'org-uuid', secretKey: 'OPENAI_API_KEY' };
const ciphertext = await new FileKeySecretCipher(keyPath!).encrypt(value!, context);
process.stdout.write(Buffer.from(ciphertext).toString('base64'));
