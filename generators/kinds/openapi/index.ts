import type { GeneratorKind } from '../kind.js';
import { openapiSchema } from './manifest-schema.js';

/**
 * OpenAPI operations. Tools are generated per source (see expand.ts); a tool entry with `operation:` only
 * overrides one of them, so the per-entry lowering here just points at it.
 */
export const openapiKind: GeneratorKind<'openapi'> = {
  schema: openapiSchema,
  tool: {
    key: 'operation',
    lower() {
      return undefined;
    }
  }
};
