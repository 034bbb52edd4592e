import type { KindSchema } from '../kind-schema.js';

/** `content:` on tools, `text:` on resources. */
export const contentSchema: KindSchema = {
  tool: {
    properties: {
      content: {
        type: 'array',
        minItems: 1,
        items: { $ref: '#/$defs/contentItem' },
        description: 'Backend: fixed content returned on every call.'
      }
    }
  },
  resource: { properties: { text: { type: 'string', description: 'Backend: fixed text.' } } }
};
