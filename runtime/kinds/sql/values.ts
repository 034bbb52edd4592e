/**
 * One JSON form for every engine: integers as numbers while exact (|n| < 2^53), else strings; binary as
 * base64; dates as ISO 8601 text. DECIMAL/NUMERIC arrive as strings from the drivers and stay strings.
 */
export function jsonValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  return v;
}

export function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row)) out[k] = jsonValue(row[k]);
  return out;
}

/** Integer text from a driver → number when exact, else the text itself. */
export function integerText(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}
