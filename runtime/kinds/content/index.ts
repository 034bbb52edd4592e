import type { ContentBlockIR } from '../../artifact/ir.js';
import type { RuntimeKind } from '../kind.js';

/** Fixed content, shaped once at start-up and returned as is on every call. */
export const contentKind: RuntimeKind<'content'> = {
  tool(exec) {
    const result = Object.freeze({ content: exec.content.map(toContentBlock) });
    return () => result;
  },
  resource(exec, _services, entry) {
    const mimeType = entry.mimeType ?? 'text/plain';
    return async (uri) => [{ uri, mimeType, text: exec.text }];
  }
};

export function toContentBlock(b: ContentBlockIR): Record<string, unknown> {
  switch (b.type) {
    case 'text':
      return { type: 'text', text: b.text ?? '' };
    case 'image':
    case 'audio':
      return { type: b.type, data: b.data ?? '', mimeType: b.mimeType ?? 'application/octet-stream' };
    case 'resource':
      return {
        type: 'resource',
        resource: b.data !== undefined ? { uri: b.uri, mimeType: b.mimeType, blob: b.data } : { uri: b.uri, mimeType: b.mimeType ?? 'text/plain', text: b.text ?? '' }
      };
  }
}
