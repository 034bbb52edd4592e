import type { ToolResult } from '../kind.js';
import type { UpstreamResponse } from './client.js';

const EXCERPT = 2000;
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;

/** The media type, lower-case, without parameters. */
function mediaType(response: UpstreamResponse): string {
  const header = response.headers['content-type'];
  if (!header) return '';
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

/** The upstream answer as a tool result: JSON → structured content plus text; images/audio as such; other binary as a blob. */
export function shapeResponse(response: UpstreamResponse, body: { bytes: Buffer; truncated: boolean }, cap: number): ToolResult {
  const type = mediaType(response);
  const notice = body.truncated ? `\n\n[Response truncated at ${cap} bytes; ask for less (filters, pagination) to see everything.]` : '';
  if (response.status < 200 || response.status > 299) {
    const excerpt = body.bytes.toString('utf8').slice(0, EXCERPT);
    return {
      content: [{ type: 'text', text: `HTTP ${response.status} ${response.statusText}${excerpt ? `: ${excerpt}` : ''}` }],
      isError: true
    };
  }
  if (JSON_TYPE.test(type) && !body.truncated) {
    const text = body.bytes.toString('utf8');
    try {
      const value = text === '' ? null : (JSON.parse(text) as unknown);
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? { content: [{ type: 'text', text }], structuredContent: value }
        : { content: [{ type: 'text', text }] };
    } catch {
      return { content: [{ type: 'text', text }] };
    }
  }
  if (type.startsWith('image/') || type.startsWith('audio/')) {
    if (body.truncated)
      return { content: [{ type: 'text', text: `The ${type} response is larger than ${cap} bytes and was not returned.` }], isError: true };
    return { content: [{ type: type.startsWith('image/') ? 'image' : 'audio', data: body.bytes.toString('base64'), mimeType: type }] };
  }
  if (type === '' || type.startsWith('text/') || /json|xml|yaml/.test(type)) {
    return { content: [{ type: 'text', text: body.bytes.toString('utf8') + notice }] };
  }
  return {
    content: [
      { type: 'resource', resource: { uri: response.url.href, mimeType: type, blob: body.bytes.toString('base64') } },
      ...(notice ? [{ type: 'text', text: notice.trim() }] : [])
    ]
  };
}
