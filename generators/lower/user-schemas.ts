import type { LowerContext } from './context.js';
import { checkUserSchema } from '../validate/user-schema.js';

/** Reports a user's schema's problems at their place; true when it has none. */
export function checkSchemaAt(ctx: LowerContext, schema: unknown, pointer: string, what: string): boolean {
  const problems = checkUserSchema(schema);
  for (const p of problems) {
    const code = p.kind === 'keyword' ? 'MCPGEN_SCHEMA_KEYWORD' : p.kind === 'format' ? 'MCPGEN_SCHEMA_FORMAT' : 'MCPGEN_INVALID_SCHEMA';
    const message =
      p.kind === 'invalid' ? `${what}: ${p.message}` : `${p.message} in ${what}${p.guess ? `. Did you mean "${p.guess}"?` : ''}`;
    ctx.error(code, message, pointer + p.pointer, { key: p.kind === 'keyword' });
  }
  return problems.length === 0;
}
