import type { ToolResult } from '../kind.js';

const EXCERPT = 2000;

/** Reads at most `cap` bytes of the body; says whether it was cut. */
export async function readCapped(response: Response, cap: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  if (!response.body) return { bytes: Buffer.alloc(0), truncated: false };
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return { bytes: Buffer.concat(chunks).subarray(0, cap), truncated: true };
    }
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

/** The upstream answer as a tool result: JSON → structured content plus text; images/audio as such; other binary as a blob. */
export function shapeResponse(response: Response, body: { bytes: Buffer; truncated: boolean }, cap: number): ToolResult {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const notice = body.truncated ? `\n\n[Response truncated at ${cap} bytes; ask for less (filters, pagination) to see everything.]` : '';
  if (!response.ok) {
    const excerpt = body.bytes.toString('utf8').slice(0, EXCERPT);
    return { content: [{ type: 'text', text: `HTTP ${response.status} ${response.statusText}${excerpt ? `: ${excerpt}` : ''}` }], isError: true };
  }
  if (/^application\/([\w.-]+\+)?json$/.test(type) && !body.truncated) {
    const text = body.bytes.toString('utf8');
    try {
      const value = text === '' ? null : (JSON.parse(text) as unknown);
      const structured = value !== null && typeof value === 'object' && !Array.isArray(value) ? { structuredContent: value } : {};
      return { content: [{ type: 'text', text }], ...structured };
    } catch {
      return { content: [{ type: 'text', text }] };
    }
  }
  if (type.startsWith('image/') || type.startsWith('audio/')) {
    if (body.truncated) return { content: [{ type: 'text', text: `The ${type} response is larger than ${cap} bytes and was not returned.` }], isError: true };
    return { content: [{ type: type.startsWith('image/') ? 'image' : 'audio', data: body.bytes.toString('base64'), mimeType: type }] };
  }
  if (type === '' || type.startsWith('text/') || /json|xml|yaml/.test(type)) {
    return { content: [{ type: 'text', text: body.bytes.toString('utf8') + notice }] };
  }
  return { content: [{ type: 'resource', resource: { uri: response.url, mimeType: type, blob: body.bytes.toString('base64') } }, ...(notice ? [{ type: 'text', text: notice.trim() }] : [])] };
}
