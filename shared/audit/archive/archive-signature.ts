import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/**
 * Ed25519 over the archive's SHA-256: the signed message is the digest's 32 raw bytes (pure Ed25519,
 * which is what AWS KMS signs for an ECC_NIST_EDWARDS25519 key with ED25519_SHA_512 and MessageType
 * RAW), so an archive signed in KMS verifies here with the key's public half, and the reverse.
 */

/** The public key as the archive carries it and `import --public-key` takes it: DER SPKI, base64. */
export const publicKeyText = (key: KeyObject): string =>
  publicOf(key).export({ format: 'der', type: 'spki' }).toString('base64');

/** The public half of a key pair's either half. */
const publicOf = (key: KeyObject): KeyObject => (key.type === 'public' ? key : createPublicKey(key));

/** A short fingerprint of a public key for people to compare: SHA-256 of its DER, first 16 hex digits. */
export const keyFingerprint = (key: KeyObject): string =>
  createHash('sha256')
    .update(publicOf(key).export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);

/** Reads a public key given as PEM text or as base64 DER SPKI; undefined when it is neither an Ed25519 key. */
export const parsePublicKey = (text: string): KeyObject | undefined => {
  try {
    const trimmed = text.trim();
    const key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
};

/** The signature (base64) of a SHA-256 given in hex. */
export const signDigest = (sha256Hex: string, privateKey: KeyObject): string =>
  sign(null, Buffer.from(sha256Hex, 'hex'), privateKey).toString('base64');

/** Whether `signature` (base64) signs the SHA-256 `sha256Hex` under `publicKey`. */
export const verifyDigest = (sha256Hex: string, signature: string, publicKey: KeyObject): boolean => {
  try {
    return verify(null, Buffer.from(sha256Hex, 'hex'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
};
