import { toContentBlock } from '../../artifact/content.js';
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
