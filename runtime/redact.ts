/**
 * Known secret values of this process (decrypted values, `${file:…}` contents, credentials' variables),
 * replaced by a mask wherever text leaves the server: logs, tool errors, audit lines, CLI output.
 */
const secrets = new Set<string>();
let ordered: string[] = [];

export const REDACTED = '[redacted]';
/** Shorter values would mask ordinary words and numbers everywhere. */
export const MIN_SECRET_LENGTH = 4;

export function registerSecret(value: string): void {
  const v = value.trim();
  if (v.length < MIN_SECRET_LENGTH || secrets.has(v)) return;
  secrets.add(v);
  // Longest first, so a secret containing another is masked whole.
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with every registered secret masked. Cheap when there are none. */
export function redact(text: string): string {
  if (ordered.length === 0) return text;
  let out = text;
  for (const s of ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** Whether any secret is registered: callers skip walking structured values when none is. */
export function hasSecrets(): boolean {
  return ordered.length > 0;
}

/**
 * `value` with every registered secret masked in its strings, keys included (log fields: what a caller passes may
 * hold a credential as well as a message may). Nesting is bounded: deeper values are replaced, not walked.
 */
export function redactDeep(value: unknown, depth = 4): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth === 0) return '[nested]';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth - 1));
  if (value instanceof Error) return redact(value.stack ?? value.message);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[redact(k)] = redactDeep(v, depth - 1);
  return out;
}

/**
 * Whether a registered secret starts within the first `limit` characters of `text` (the audit digest's bound:
 * each secret is a full search, so a megabyte argument would be read once per secret).
 */
export function containsSecret(text: string, limit = Infinity): boolean {
  if (ordered.length === 0) return false;
  // ordered[0] is the longest: a secret starting before `limit` ends before this.
  const head = text.length > limit + ordered[0]!.length ? text.slice(0, limit + ordered[0]!.length) : text;
  return ordered.some((s) => head.includes(s));
}

/** Tests only: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
  ordered = [];
}
