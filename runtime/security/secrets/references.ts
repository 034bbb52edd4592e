import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { decryptSecret, isEncrypted, SecretError } from './crypto.js';

/** `$${` is a literal `${` (as for `${VAR}`); `${file:PATH}` is a file's contents, trimmed. */
const fileReference = /\$\$\{|\$\{file:([^}]+)\}/g;
const envReference = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g;

export interface SecretContext {
  /** `${file:…}` paths are relative to the manifest directory. */
  readonly baseDir: string;
  /** The decryption key; undefined leaves encrypted values as they are (a build without the key). */
  key(): Buffer | undefined;
}

export interface ResolvedSecret {
  /** The text with secrets in place, `${` in them written `$${` so that `${VAR}` interpolation keeps them verbatim. */
  readonly value: string;
  /** The secret values resolved (decrypted text, file contents), to redact and to keep out of the artifact. */
  readonly secrets: readonly string[];
}

/** Whether a manifest string holds an encrypted value or a `${file:…}` reference. */
export function hasSecretReference(text: string): boolean {
  return isEncrypted(text) || /\$\{file:/.test(text);
}

/** Manifest positions whose `${VAR}` values are credentials (their values are redacted too). */
export function isCredentialPointer(pointer: string): boolean {
  return /^\/sources\/[^/]+\/(auth\/|database$)|^\/auth\//.test(pointer) || pointer === '/transport/metrics/token';
}

/** The variables a string references (`${VAR}` and `${VAR:-default}`), for redaction. */
export function referencedVariables(text: string): string[] {
  return [...text.replace(/\$\$\{/g, '').matchAll(envReference)].map((m) => m[1]!);
}

/** Resolves an `enc:v1:` value or the `${file:…}` references of one string. Throws SecretError. */
export function resolveSecretText(text: string, ctx: SecretContext): ResolvedSecret {
  if (isEncrypted(text)) {
    const key = ctx.key();
    if (key === undefined) return { value: text, secrets: [] };
    const plain = decryptSecret(text, key);
    return { value: escapeReferences(plain), secrets: [plain] };
  }
  if (!text.includes('${file:')) return { value: text, secrets: [] };
  const secrets: string[] = [];
  const value = text.replace(fileReference, (match, path: string | undefined) => {
    if (path === undefined) return match;
    const absolute = isAbsolute(path) ? path : resolve(ctx.baseDir, path);
    let contents: string;
    try {
      contents = readFileSync(absolute, 'utf8').trim();
    } catch (e) {
      throw new SecretError(`cannot read the secret file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    secrets.push(contents);
    return escapeReferences(contents);
  });
  return { value, secrets };
}

function escapeReferences(text: string): string {
  return text.replace(/\$\{/g, () => '$${');
}
