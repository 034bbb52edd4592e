import { randomBytes } from 'node:crypto';
import type { OpenApiToolExec } from '../../artifact/ir.js';

type Body = NonNullable<OpenApiToolExec['body']>;

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A field of a form: arrays repeat the field, objects travel as JSON (OpenAPI's default encoding). */
function formEntries(value: unknown): [string, unknown][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('the body must be an object of form fields');
  return Object.entries(value).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, unknown]) : [[k, v] as [string, unknown]])).filter(([, v]) => v !== undefined && v !== null);
}

/** Encodes the body argument for its media type, as bytes that can be sent again (retries, redirects). */
export function encodeBody(body: Body, value: unknown): { payload: string | Buffer; contentType: string } {
  const type = body.mediaType.toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return { payload: new URLSearchParams(formEntries(value).map(([k, v]): [string, string] => [k, asText(v)])).toString(), contentType: body.mediaType };
  }
  if (type.startsWith('multipart/')) return multipart(formEntries(value), body.files ?? []);
  if (type.startsWith('text/')) return { payload: asText(value), contentType: body.mediaType };
  if (type.includes('octet-stream')) return { payload: Buffer.from(String(value), 'base64'), contentType: body.mediaType };
  return { payload: JSON.stringify(value), contentType: body.mediaType };
}

/** Names in a part header are escaped as the HTML form encoding does (and as fetch's FormData did). */
const escapeName = (name: string): string => name.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');

/** multipart/form-data (RFC 7578): text fields as UTF-8 with CRLF line breaks, file parts as bytes from base64. */
function multipart(entries: [string, unknown][], files: readonly string[]): { payload: Buffer; contentType: string } {
  const boundary = `----mcp-gen-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of entries) {
    const name = escapeName(k);
    if (files.includes(k)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
      parts.push(Buffer.from(String(v), 'base64'));
      parts.push(Buffer.from('\r\n'));
    } else {
      const text = asText(v).replace(/\r(?!\n)|(?<!\r)\n/g, '\r\n');
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${text}\r\n`));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
