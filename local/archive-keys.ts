import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a local installation keeps the Ed25519 key its ledger archives are signed with. */
export const archiveKeyFile = (dataDir: string) => join(dataDir, 'keys', 'archive-signing-key.pem');

/**
 * The archive signing key of `file`, created on first use (PKCS#8 PEM, mode 0600), as local-jwt.ts keeps
 * the token key. Losing it does not lose archives: each one's public key is written beside it.
 */
export const loadOrCreateArchiveKey = (file: string): KeyObject => {
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { flag: 'wx', mode: 0o600 });
      chmodSync(file, 0o600);
    } catch {
      // another process created it first: read theirs
    }
  }
  return createPrivateKey(readFileSync(file, 'utf8'));
};

/** The installation's key when it has one (import's default trusted key), never a new one. */
export const existingArchiveKey = (file: string): KeyObject | undefined =>
  existsSync(file) ? createPrivateKey(readFileSync(file, 'utf8')) : undefined;
