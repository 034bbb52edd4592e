import type { ContentBlockIR } from '../../../runtime/artifact/ir.js';
import { lowerContentItem } from '../../lower/content.js';
import type { GeneratorKind } from '../kind.js';
import { contentSchema } from './manifest-schema.js';

/** Fixed content, read once at build and embedded in the artifact. */
export const contentKind: GeneratorKind<'content'> = {
  schema: contentSchema,
  tool: {
    key: 'content',
    lower(entry, ref, ctx) {
      const items = entry.content as Record<string, unknown>[];
      const blocks = items.map((item, i) => lowerContentItem(item, `${ref.pointer}/content/${i}`, ctx));
      return blocks.every((b) => b !== undefined) ? { content: blocks as ContentBlockIR[] } : undefined;
    }
  },
  resource: {
    key: 'text',
    literal: ['text'],
    lower(entry) {
      return { text: String(entry.text) };
    }
  }
};
