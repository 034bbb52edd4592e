import { parseRef, resolvePointer } from './refs.js';
import { isSchemaObject, type JsonSchema, type JsonSchemaObject } from './types.js';
import { mapSubschemas } from './vocabulary.js';

/** Markdown links keep their text: the URL costs tokens and a model calling the API cannot follow it anyway. */
export function delink(text: string): string {
  return text.replace(/\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1').replace(/<\/?[a-z][^>]*>/gi, '');
}

/**
 * The first paragraph of a description, links as text, cut at the last sentence end within `cap` characters (a
 * hard cut with `…` when the first sentence alone is longer). Same text, same result.
 */
export function compactText(text: string, cap: number): string {
  const para = withoutPointers(
    delink(text.trim().split(/\n\s*\n/)[0] ?? '')
      .replace(/\s+/g, ' ')
      .trim()
  );
  if (para.length <= cap) return para;
  const head = para.slice(0, cap);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  return end > cap / 3 ? head.slice(0, end + 1) : `${head.slice(0, cap - 1).trimEnd()}…`;
}

/** Sentences that only send the reader elsewhere ("For more information, see …"): a model cannot follow them. */
function withoutPointers(text: string): string {
  const kept = text
    .split(/(?<=[.!?])\s+(?=[A-Z])/)
    .filter((s) => !/^(for more (information|details)|see also|learn more|read more)\b/i.test(s));
  return kept.length > 0 ? kept.join(' ') : text;
}

/**
 * Every `description` inside a schema compacted (see compactText), or removed when `cap` is 0; `examples`
 * dropped. A new tree; the input is untouched.
 */
export function compactDescriptions(schema: JsonSchema, cap: number): JsonSchema {
  if (!isSchemaObject(schema)) return schema;
  const out = mapSubschemas(schema, (sub) => compactDescriptions(sub as JsonSchema, cap));
  if (typeof out.description === 'string') {
    const text = cap > 0 ? compactText(out.description, cap) : '';
    if (text === '') delete out.description;
    else out.description = text;
  }
  delete out.examples;
  return out;
}

const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * The shape of a response schema down to `depth` levels of properties (1: the root's property names and types):
 * types, property names, `required`, array items and combinators; every constraint and annotation dropped, refs followed (so no `$defs` remain), and
 * below `depth` a node keeps only its `type`. Dropping constraints only widens a schema, so anything valid
 * against the full schema is valid against its shape: clients may check structured results against it.
 */
export function shapeSchema(schema: JsonSchema, depth: number, defs: Readonly<Record<string, JsonSchema>> = rootDefs(schema)): JsonSchema {
  const seen: string[] = [];
  const shape = (node: unknown, level: number): JsonSchema => {
    if (!isSchemaObject(node)) return typeof node === 'boolean' ? node : true;
    if (typeof node.$ref === 'string') {
      const target = parseRef(node.$ref);
      const resolved =
        target.kind === 'def' && Object.hasOwn(defs, target.name) ? resolvePointer(defs[target.name], target.path) : undefined;
      // A ref beside other keywords, a ref we cannot follow or a cycle: widen to "anything" rather than guess.
      if (resolved === undefined || seen.includes(node.$ref) || Object.keys(node).some((k) => k !== '$ref' && !isAnnotation(k)))
        return refFallback(resolved);
      seen.push(node.$ref);
      const out = shape(resolved, level);
      seen.pop();
      return out;
    }
    const out: JsonSchemaObject = {};
    if (node.type !== undefined) out.type = node.type;
    if (level <= 0) return Object.keys(out).length > 0 && !COMBINATORS.some((k) => k in node) ? out : true;
    for (const k of COMBINATORS) if (Array.isArray(node[k])) out[k] = (node[k] as unknown[]).map((s) => shape(s, level));
    if (isSchemaObject(node.properties)) {
      out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, shape(v, level - 1)]));
      if (Array.isArray(node.required) && node.required.length > 0) out.required = node.required;
    }
    // An array does not use up a level: its items stand where the array stands.
    if (node.items !== undefined) out.items = shape(node.items, level);
    return Object.keys(out).length > 0 ? out : true;
  };
  return shape(schema, depth);
}

const isAnnotation = (k: string) =>
  ['title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment'].includes(k);

function refFallback(target: unknown): JsonSchema {
  return isSchemaObject(target) && typeof target.type === 'string' && !COMBINATORS.some((k) => k in target) ? { type: target.type } : true;
}

function rootDefs(schema: JsonSchema): Readonly<Record<string, JsonSchema>> {
  return isSchemaObject(schema) && isSchemaObject(schema.$defs) ? (schema.$defs as Record<string, JsonSchema>) : {};
}
