import { parseRef, resolvePointer } from './refs.js';
import { isSchemaObject, type JsonSchema, type JsonSchemaObject } from './types.js';
import { annotationKeywords, mapSubschemas } from './vocabulary.js';

/**
 * The `schemas: inline` form, for clients that do not follow `$ref`: every `#/$defs/...` ref is replaced by its
 * target and no `$defs` remain. Defs default to the schema's own `$defs` (an objectRoot output).
 *
 * A cycle is cut where a ref target would be entered a second time on the current path (A → B → A cuts the inner
 * A). The target is the def plus its pointer tail, so `Money` → `#/$defs/Money/$defs/Currency` is not a cycle; the
 * set of targets is finite, so inlining always ends. The cut is `{ description: 'Recursive A (cut)' }` plus A's own
 * `type` when it declares one: it accepts every value A accepts (never rejects valid input) and still tells the
 * model what shape comes there. Same input, same output: only the path decides, never the order of the defs.
 *
 * Shared defs are copied at every use, so a heavily shared spec can grow large; the caller may measure and fall
 * back to `$defs`. Throws on a ref collectDefs would have reported as missing or unsupported.
 */
export function inlineSchema(schema: JsonSchema, defs?: Readonly<Record<string, JsonSchema>>): JsonSchema {
  const table = defs ?? (isSchemaObject(schema) && isSchemaObject(schema.$defs) ? (schema.$defs as Record<string, JsonSchema>) : {});

  /** `path`: the ref targets entered on the way here, as JSON arrays of def name and pointer segments. */
  const inlineNode = (node: unknown, path: readonly string[]): JsonSchema => {
    if (!isSchemaObject(node)) return node as JsonSchema;
    const { $ref, $defs: _inlinedAway, ...rest } = node;
    const siblings = mapSubschemas(rest, (sub) => inlineNode(sub, path));
    if (typeof $ref !== 'string') return siblings;
    const target = parseRef($ref);
    if (target.kind !== 'def') throw new Error(`inlineSchema: cannot inline ${$ref}: only #/$defs/... refs can be inlined`);
    const def = Object.hasOwn(table, target.name) ? table[target.name] : undefined;
    const resolved = resolvePointer(def, target.path);
    if (resolved === undefined) throw new Error(`inlineSchema: ${$ref} does not resolve; run collectDefs first`);
    const key = JSON.stringify([target.name, ...target.path]);
    const label = [target.name, ...target.path].join('/');
    const inlined = path.includes(key) ? cut(label, resolved) : inlineNode(resolved, [...path, key]);
    return withSiblings(inlined, siblings);
  };

  return inlineNode(schema, []);
}

function cut(name: string, target: unknown): JsonSchemaObject {
  const description = `Recursive ${name} (cut)`;
  return isSchemaObject(target) && target.type !== undefined ? { type: target.type, description } : { description };
}

/**
 * Keywords next to a `$ref` apply together with its target. Annotations at the referencing site describe this
 * use, so they override the target's; any assertion keeps both sides intact through allOf.
 */
function withSiblings(target: JsonSchema, siblings: JsonSchemaObject): JsonSchema {
  const keywords = Object.keys(siblings);
  if (keywords.length === 0) return target;
  if (target === true) return siblings;
  if (isSchemaObject(target) && keywords.every((keyword) => annotationKeywords.has(keyword))) return { ...target, ...siblings };
  const { allOf, ...rest } = siblings;
  return { ...rest, allOf: [target, ...(Array.isArray(allOf) ? allOf : [])] };
}
