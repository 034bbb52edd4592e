import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mcpgenEnv } from '../../env-prefix.js';

/** `enc:v1:` + base64url(IV ‖ auth tag ‖ ciphertext), AES-256-GCM. */
export const ENC_PREFIX = 'enc:v1:';
export const KEY_VARIABLE = 'MCPGEN_SECRET_KEY';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A user mistake with a key or a ciphertext: reported as one line, never a stack. */
export class SecretError extends Error {}

export function isEncrypted(text: unknown): boolean {
  return typeof text === 'string' && text.startsWith(ENC_PREFIX);
}

/** 32 bytes, written as 64 hex digits or base64 (standard or URL-safe). */
export function parseKey(text: string | undefined): Buffer {
  if (text === undefined || text.trim() === '')
    throw new SecretError(`${KEY_VARIABLE} is not set: it must hold the 32-byte key (base64 or hex; \`mcp-gen secret keygen\` makes one)`);
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t)
    ? Buffer.from(t, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(t)
      ? Buffer.from(t, 'base64')
      : Buffer.alloc(0);
  if (key.length !== 32)
    throw new SecretError(
      `${KEY_VARIABLE} must be 32 bytes written as base64 or 64 hex digits (got ${key.length === 0 ? 'neither' : `${key.length} bytes`})`
    );
  return key;
}

export function keyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  return parseKey(mcpgenEnv(env, 'SECRET_KEY'));
}

export function generateKey(): string {
  return randomBytes(32).toString('base64');
}

export function encryptSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ENC_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function decryptSecret(text: string, key: Buffer): string {
  if (!isEncrypted(text)) throw new SecretError(`not an encrypted value (it must start with ${ENC_PREFIX})`);
  const raw = Buffer.from(text.slice(ENC_PREFIX.length).trim(), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretError('the encrypted value is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretError(`cannot decrypt: wrong ${KEY_VARIABLE}, or the value was altered`);
  }
}
