import type { OpenApiToolExec } from '../../artifact/ir.js';

type Body = NonNullable<OpenApiToolExec['body']>;

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A field of a form: arrays repeat the field, objects travel as JSON (OpenAPI's default encoding). */
function formEntries(value: unknown): [string, unknown][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('the body must be an object of form fields');
  return Object.entries(value).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, unknown]) : [[k, v] as [string, unknown]])).filter(([, v]) => v !== undefined && v !== null);
}

/** Encodes the body argument for its media type; `content-type` is set by fetch for multipart (boundary). */
export function encodeBody(body: Body, value: unknown): { payload: string | Buffer | FormData | URLSearchParams; contentType?: string } {
  const type = body.mediaType.toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    return { payload: new URLSearchParams(formEntries(value).map(([k, v]): [string, string] => [k, asText(v)])), contentType: body.mediaType };
  }
  if (type.startsWith('multipart/')) {
    const form = new FormData();
    for (const [k, v] of formEntries(value)) {
      if (body.files?.includes(k)) form.append(k, new Blob([Buffer.from(String(v), 'base64')]), k);
      else form.append(k, asText(v));
    }
    return { payload: form };
  }
  if (type.startsWith('text/')) return { payload: asText(value), contentType: body.mediaType };
  if (type.includes('octet-stream')) return { payload: Buffer.from(String(value), 'base64'), contentType: body.mediaType };
  return { payload: JSON.stringify(value), contentType: body.mediaType };
}
