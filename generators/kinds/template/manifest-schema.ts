import type { KindSchema } from '../kind-schema.js';

/** `template:` on tools, resources and resource templates. */
export const templateSchema: KindSchema = {
  tool: {
    properties: {
      template: {
        type: 'string',
        description: 'Backend: a Handlebars template rendered with the arguments; the text is the result.'
      }
    }
  },
  resource: {
    properties: {
      template: { type: 'string', description: "Backend: a Handlebars template rendered with the URI template's variables." }
    }
  }
};
