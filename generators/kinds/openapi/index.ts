import type { GeneratorKind } from '../kind.js';
import { openapiSchema } from './manifest-schema.js';
import { obj } from '../../plain.js';
import { openapiSource } from './source.js';

/**
 * OpenAPI operations. Tools are generated per source (source.ts, expand.ts); a tool entry with `operation:`
 * only refines one of them, which the source's lowering reads: its own lowering just checks the source exists.
 */
export const openapiKind: GeneratorKind<'openapi'> = {
  schema: openapiSchema,
  tool: {
    key: 'operation',
    overrides: true,
    lower(entry, ref, ctx) {
      const source = String(entry.operation).split('.')[0]!;
      if (!(source in obj(obj(ctx.manifest.value).sources))) {
        ctx.error('MCPGEN_UNKNOWN_OPERATION', `no source named "${source}" (declare it under sources:)`, `${ref.pointer}/operation`);
      }
      return undefined;
    }
  },
  source: openapiSource,
  // GET and HEAD are safe methods (RFC 9110 §9.2.1); a dynamic source's meta-tools are not cached.
  readOnlyTool: {
    which: 'an OpenAPI GET/HEAD operation',
    test: (exec) => 'method' in exec && (exec.method === 'GET' || exec.method === 'HEAD')
  }
};
