import { extname } from 'node:path';
import type { SandboxIR } from '../../../runtime/kinds/handler/ir.js';
import type { GeneratorKind } from '../kind.js';
import { handlerSchema } from './manifest-schema.js';
import { handlerDeploy } from './deploy.js';

/** A TypeScript or JavaScript module; compiled and type-checked in the emit phase (it needs types.d.ts). */
export const handlerKind: GeneratorKind<'handler'> = {
  deploy: handlerDeploy,
  schema: handlerSchema,
  tool: {
    key: 'handler',
    structured: true,
    lower(entry, ref, ctx) {
      if (entry.isError === true) {
        const message = '`isError` is for declarative tools; a handler returns `{ isError: true, content }` itself';
        ctx.error('MCPGEN_BACKEND_CHOICE', message, `${ref.pointer}/isError`, {
          hint: 'Remove isError, and return an error result from the handler.'
        });
        return undefined;
      }
      const path = ctx.existingPath(String(entry.handler), `${ref.pointer}/handler`, 'file');
      if (path === undefined) return undefined;
      if (!['.ts', '.mts', '.js', '.mjs'].includes(extname(path))) {
        ctx.error('MCPGEN_HANDLER_COMPILE', `handler must be a .ts, .mts, .js or .mjs file: ${path}`, `${ref.pointer}/handler`);
        return undefined;
      }
      const module = `handlers/${ref.name}.mjs`;
      ctx.handlers.push({ tool: ref.name, source: ctx.absolute(path), output: module, pointer: `${ref.pointer}/handler` });
      const sandbox = sandboxOf((ctx.manifest.value as { sandbox?: SandboxIR }).sandbox, entry.sandbox as SandboxIR | undefined);
      return sandbox ? { module, sandbox } : { module };
    }
  }
};

/** The top-level settings with the tool's own on top; only what the manifest says (the runtime has the defaults). */
function sandboxOf(defaults: SandboxIR | undefined, own: SandboxIR | undefined): SandboxIR | undefined {
  const merged = { ...(defaults ?? {}), ...(own ?? {}) };
  return Object.keys(merged).length > 0 ? merged : undefined;
}
