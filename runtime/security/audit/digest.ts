import { createHash } from 'node:crypto';
import { containsSecret } from '../../redact.js';
import { maskQueryCredentials, maskUrlPasswords, nextUrlPassword } from './credential-text.js';

export const MASK = '[masked]';

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Well-known credential shapes: the value itself says it is a secret, whatever the argument is called. Every
 * expression is linear (test/unit/regex-safety.test.ts); `{20}` tests the same as `{20,}` when nothing follows.
 */
const secretShapes: readonly RegExp[] = [
  /^(bearer|basic|token)\s+\S{8}/i,
  /^eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*$/, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_\w{30}/, // GitHub
  /\bglpat-[\w-]{20}/, // GitLab
  /\bxox[abposr]-[\w-]{10}/, // Slack
  /\b[sr]k_(live|test)_\w{16}/, // Stripe
  /\bsk-[\w-]{20}/, // OpenAI, Anthropic and alike
  /\bAIza[\w-]{35}\b/, // Google API key
  /\bnpm_[A-Za-z0-9]{36}\b/
];

/**
 * Credentials are looked for where they start in the first 64 KiB of a value: a longer value is judged by
 * that part (plus room for the longest shape to end), so no request makes the digest read a megabyte a dozen
 * times. A credential that starts there is found however long it is: the whole value is masked.
 */
export const SCAN_LIMIT = 64 * 1024;
const SHAPE_ROOM = 1024;

/** A long unbroken run of mixed-case letters and digits reads as a random key, not as text. */
const randomLooking = (s: string) =>
  s.length >= 32 && /^[A-Za-z0-9+/_=.-]+$/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s);

/**
 * A credential's shape (a URL with a password among them), or a value the server knows to be a secret
 * (decrypted values, `${file:…}` contents).
 */
export function looksSecret(value: string): boolean {
  const head = value.length > SCAN_LIMIT + SHAPE_ROOM ? value.slice(0, SCAN_LIMIT + SHAPE_ROOM) : value;
  return (
    randomLooking(head) ||
    secretShapes.some((re) => re.test(head)) ||
    nextUrlPassword(value, 0, SCAN_LIMIT) !== undefined ||
    containsSecret(value, SCAN_LIMIT)
  );
}

/** Argument names that conventionally hold credentials. */
const secretName =
  /(^|[_-])(password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|authorization|credentials?|cookie)$/;

/** `apiKey`, `api_key`, `X-Api-Key`, `client_secret`, `accessToken`; not `max_tokens` or `tokenCount`. */
export function isSecretName(name: string): boolean {
  // Only the end can match; a long name is not copied and lowered whole.
  const tail = name.length > 256 ? name.slice(-256) : name;
  return secretName.test(tail.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());
}

/** A schema node marks its value sensitive with `x-sensitive: true` (manifest and OpenAPI) or `format: password`. */
function sensitive(schema: Schema | undefined): boolean {
  return schema !== undefined && (schema['x-sensitive'] === true || schema.format === 'password');
}

/** `#/$defs/X` inside the tool's own input schema; anything else is not followed. */
function resolve(schema: unknown, root: Schema): Schema | undefined {
  if (!isObject(schema)) return undefined;
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
    const target = (root.$defs as Record<string, unknown> | undefined)?.[ref.slice(8)];
    return isObject(target) ? { ...target, ...schema } : schema;
  }
  return schema;
}

/**
 * A copy of the arguments with every sensitive value replaced by `[masked]`: values whose schema is marked
 * sensitive, values under credential-like names, and strings that look like credentials.
 */
export function maskArguments(value: unknown, schema: unknown, root: Schema = isObject(schema) ? schema : {}): unknown {
  const node = resolve(schema, root);
  if (sensitive(node)) return MASK;
  if (typeof value === 'string') return looksSecret(value) ? MASK : value;
  if (Array.isArray(value)) {
    const items = node?.items;
    return value.map((v) => maskArguments(v, items, root));
  }
  if (!isObject(value)) return value;
  const properties = isObject(node?.properties) ? node.properties : {};
  const extra = isObject(node?.additionalProperties) ? node.additionalProperties : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      isSecretName(k) && v !== null && v !== '' ? MASK : maskArguments(v, Object.hasOwn(properties, k) ? properties[k] : extra, root);
  }
  return out;
}

/** JSON with object keys sorted at every level: equal arguments always give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `sha256:<hex>` of the canonical JSON of the masked arguments: equal calls match, secrets stay out. */
export function argumentDigest(args: unknown, schema?: unknown): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson(maskArguments(args, schema)))
    .digest('hex')}`;
}

/** Credential-looking parts of a free text (a resource URI's query, say), masked; linear in its length. */
export function maskText(text: string): string {
  return maskQueryCredentials(maskUrlPasswords(text, MASK), MASK);
}
