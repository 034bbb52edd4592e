import type { IncomingMessage } from 'node:http';

/** Decodes the `=?base64?…?=` sentinel form 2026-07-28 allows in Mcp-* header values; undefined if malformed. */
export function decodeHeaderValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const m = /^=\?base64\?(.*)\?=$/i.exec(v);
  if (!m) return v;
  const b64 = m[1]!;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return undefined;
  return Buffer.from(b64, 'base64').toString('utf8');
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
