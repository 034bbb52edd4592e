import { extname } from 'node:path';
import type { GeneratorKind } from '../kind.js';

/** A TypeScript or JavaScript module; compiled and type-checked in the emit phase (it needs types.d.ts). */
export const handlerKind: GeneratorKind<'handler'> = {
  tool: {
    key: 'handler',
    lower(entry, ref, ctx) {
      const path = ctx.existingPath(String(entry.handler), `${ref.pointer}/handler`, 'file');
      if (path === undefined) return undefined;
      if (!['.ts', '.mts', '.js', '.mjs'].includes(extname(path))) {
        ctx.error('MCPGEN_HANDLER_COMPILE', `handler must be a .ts, .mts, .js or .mjs file: ${path}`, `${ref.pointer}/handler`);
        return undefined;
      }
      const module = `handlers/${ref.name}.mjs`;
      ctx.handlers.push({ tool: ref.name, source: ctx.absolute(path), output: module, pointer: `${ref.pointer}/handler` });
      return { module };
    }
  }
};
