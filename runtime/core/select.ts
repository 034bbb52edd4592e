import { compile, TreeInterpreter } from '@jmespath-community/jmespath';
import type { SelectIR } from '../artifact/ir.js';
import type { ToolResult } from '../kinds/kind.js';

/** The key a projection that is not an object is returned under (structured content must be an object). */
export const SELECTED = 'result';

export type Projector = (result: ToolResult, fields: unknown) => ToolResult;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Only the named keys of an object, or of each object in an array (`fields:` the model asked for). */
function keep(value: unknown, fields: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => keep(v, fields));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => fields.has(k)));
}

/**
 * `select:` of a tool: its JMESPath expression (compiled once) applied to the result's structured content (else
 * its JSON text) before the model sees it. Text that is not JSON, and tool errors, pass unchanged.
 */
export function projector(select: SelectIR): Projector {
  const ast = compile(select.expression);
  const declared = new Set(select.fields ?? []);
  return (result, fields) => {
    let value: unknown = result.structuredContent;
    if (value === undefined) {
      const text = result.content.find((c) => c.type === 'text')?.text;
      if (typeof text !== 'string') return result;
      try {
        value = JSON.parse(text);
      } catch {
        return result;
      }
    }
    let selected = TreeInterpreter.search(ast, value as never) as unknown;
    const asked = Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string' && declared.has(f)) : [];
    if (asked.length > 0) selected = keep(selected, new Set(asked));
    const structured = select.wrap || !isObject(selected) ? { [SELECTED]: selected ?? null } : selected;
    return { ...result, content: [{ type: 'text', text: JSON.stringify(selected ?? null) }], structuredContent: structured };
  };
}
