import type { GeneratorKind } from '../kind.js';
import { templateSchema } from './manifest-schema.js';

/** Reference kind: the smallest complete example of the shape every kind follows. */
export const templateKind: GeneratorKind<'template'> = {
  schema: templateSchema,
  tool: {
    key: 'template',
    // Handlebars text: its {{…}} are the template's own, and ${VAR} in it is left as written.
    literal: ['template'],
    lower(entry, ref, ctx) {
      const template = ctx.template(String(entry.template), `${ref.pointer}/template`, ref.declared, `tool "${ref.name}"`);
      return template === undefined ? undefined : { template };
    }
  },
  resource: {
    key: 'template',
    literal: ['template'],
    lower(entry, ref, ctx) {
      const template = ctx.template(String(entry.template), `${ref.pointer}/template`, [], `resource "${ref.name}"`);
      return template === undefined ? undefined : { template };
    }
  },
  resourceTemplate: {
    key: 'template',
    literal: ['template'],
    lower(entry, ref, ctx) {
      const template = ctx.template(String(entry.template), `${ref.pointer}/template`, ref.declared, `resource template "${ref.name}"`);
      return template === undefined ? undefined : { template };
    }
  }
};
