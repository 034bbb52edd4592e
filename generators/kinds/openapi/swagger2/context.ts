import { decodePointer, escapePointerSegment } from '../schema/refs.js';

import { obj, type Obj } from '../../../plain.js';

export { obj, type Obj };
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Vendor extensions (`x-…`) carried over unchanged. */
export const extensions = (node: Obj): Obj => Object.fromEntries(Object.entries(node).filter(([k]) => k.startsWith('x-')));

/** One conversion: the bundled 2.0 document being read, and the component schemas being written. */
export interface Context {
  readonly source: Obj;
  readonly schemas: Obj;
  /** Local refs that pointed outside `definitions` (bundling leaves some in `#/paths/…`), by the schema name they got. */
  readonly hoisted: Map<string, string>;
}

/** The value a local ref (`#/a/b`) points at in the 2.0 document, or undefined. */
export function resolveLocal(doc: Obj, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const segment of decodePointer(ref.slice(1))) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(segment)) node = node[Number(segment)];
    else if (isObj(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** A `$ref` target followed through any chain of local refs (cycles end in undefined). */
export function follow(ctx: Context, value: unknown): { value: Obj; ref?: string } | { missing: string } {
  const seen = new Set<string>();
  let node = value;
  let first: string | undefined;
  while (isObj(node) && typeof node.$ref === 'string') {
    const ref = node.$ref;
    first ??= ref;
    if (seen.has(ref)) return { missing: ref };
    seen.add(ref);
    const next = resolveLocal(ctx.source, ref);
    if (next === undefined) return { missing: ref };
    node = next;
  }
  return isObj(node) ? { value: node, ...(first !== undefined ? { ref: first } : {}) } : { missing: first ?? '(not an object)' };
}

export const componentRef = (kind: string, name: string): string => `#/components/${kind}/${escapePointerSegment(name)}`;
