/**
 * JSON with object keys in sorted order at every depth, so `{a, b}` and `{b, a}` name the same cache entry.
 * Arguments are validated JSON values (no cycles, no functions).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
  return `{${members.join(',')}}`;
}

/**
 * The key of one cached answer: the entry, the caller for `principal` scope (null: shared, or no caller), and the
 * canonical arguments. A JSON array, so no choice of names or arguments can make two different triples collide.
 */
export function cacheKey(entry: string, principal: string | null, args: unknown): string {
  return `[${JSON.stringify(entry)},${JSON.stringify(principal)},${canonicalJson(args)}]`;
}
