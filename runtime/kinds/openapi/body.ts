import { randomBytes } from 'node:crypto';
import type { OpenApiToolExec } from './ir.js';

type Body = NonNullable<OpenApiToolExec['body']>;

/** A multipart file part read from one of the server's resources instead of given as base64. */
export class FilePart {
  constructor(
    readonly data: Buffer,
    readonly mimeType: string,
    readonly filename: string
  ) {}
}

/** base64 never contains ':', so a file value with a scheme is a resource URI. */
const isUri = (v: unknown): v is string => typeof v === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(v);

/**
 * File fields whose value is a resource URI (`file:///…`, `shop://…`) become FileParts read through `read`
 * (which applies the caller's scopes); base64 values are left as they are.
 */
export async function resolveFileParts(
  value: unknown,
  files: readonly string[],
  read: ((uri: string) => Promise<readonly { mimeType?: string; text?: string; blob?: string }[] | undefined>) | undefined
): Promise<unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value) || files.length === 0) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const one = async (field: string, v: unknown): Promise<unknown> => {
    if (!isUri(v)) return v;
    const contents = read ? await read(v) : undefined;
    const first = contents?.[0];
    if (!first)
      throw new Error(
        `file field ${field}: no resource ${v} on this server (give the file base64-encoded, or a resource URI from resources/list)`
      );
    const data = first.blob !== undefined ? Buffer.from(first.blob, 'base64') : Buffer.from(first.text ?? '', 'utf8');
    return new FilePart(data, first.mimeType ?? 'application/octet-stream', decodeURIComponent(withoutQuery(v).split('/').pop() || field));
  };
  for (const field of files) {
    const v = out[field];
    if (v !== undefined) out[field] = Array.isArray(v) ? await Promise.all(v.map((x) => one(field, x))) : await one(field, v);
  }
  return out;
}

/** The URI up to its query or fragment (an index search: `/[?#].*$/` backtracked on long URIs). */
const withoutQuery = (uri: string) => {
  const cut = uri.search(/[?#]/);
  return cut === -1 ? uri : uri.slice(0, cut);
};

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A field of a form: arrays repeat the field, objects travel as JSON (OpenAPI's default encoding). */
function formEntries(value: unknown): [string, unknown][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('the body must be an object of form fields');
  return Object.entries(value)
    .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, unknown]) : [[k, v] as [string, unknown]]))
    .filter(([, v]) => v !== undefined && v !== null);
}

/** Encodes the body argument for its media type, as bytes that can be sent again (retries, redirects). */
export function encodeBody(body: Body, value: unknown): { payload: string | Buffer; contentType: string } {
  const type = body.mediaType.toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return {
      payload: new URLSearchParams(formEntries(value).map(([k, v]): [string, string] => [k, asText(v)])).toString(),
      contentType: body.mediaType
    };
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
      const file = v instanceof FilePart ? v : undefined;
      const type = file ? file.mimeType.replace(/[\r\n]/g, '') : 'application/octet-stream';
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; ` +
            `filename="${file ? escapeName(file.filename) : name}"\r\nContent-Type: ${type}\r\n\r\n`
        )
      );
      parts.push(file ? file.data : Buffer.from(String(v), 'base64'));
      parts.push(Buffer.from('\r\n'));
    } else {
      const text = asText(v).replace(/\r(?!\n)|(?<!\r)\n/g, '\r\n');
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${text}\r\n`));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
