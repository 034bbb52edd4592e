import { isSchemaObject } from './types.js';

const componentPrefix = '#/components/schemas/';
const defsPrefix = '#/$defs/';

/**
 * `#/components/schemas/Pet/properties/id` → `#/$defs/Pet/properties/id`. The tail is copied verbatim so its
 * percent- and `~`-escaping survives. Any other ref is returned unchanged: judging it is collectDefs' job.
 */
export function rewriteComponentRef(ref: string): string {
  return ref.startsWith(componentPrefix) ? defsPrefix + ref.slice(componentPrefix.length) : ref;
}

/** The `$ref` that points at def `name`, escaped as a JSON pointer inside a URI fragment. */
export function defRef(name: string): string {
  return defsPrefix + encodeURIComponent(escapePointerSegment(name));
}

export type RefTarget =
  | { readonly kind: 'def'; readonly name: string; readonly path: readonly string[] }
  /** Another document or URL (`other.yaml#/X`, `https://…`): the loader should have bundled it. */
  | { readonly kind: 'external' }
  /** Inside this document but not under components/schemas (`#/paths/…`, `#anchor`, `#/definitions/X`). */
  | { readonly kind: 'local' };

/** Classifies a converted `$ref`; only `#/$defs/<name>[/pointer]` can be resolved. */
export function parseRef(ref: string): RefTarget {
  if (!ref.startsWith('#')) return { kind: 'external' };
  if (!ref.startsWith(defsPrefix)) return { kind: 'local' };
  const [name, ...path] = decodePointer(ref.slice(1)).slice(1);
  return name ? { kind: 'def', name, path } : { kind: 'local' };
}

/** `/a~1b/c%20d` → `['a/b', 'c d']`: URI fragment decoding first, then JSON pointer unescaping (RFC 6901 §6). */
export function decodePointer(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => unescapePointerSegment(safeDecodeURIComponent(segment)));
}

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A stray `%` is not worth failing over; the segment is then taken literally. */
function safeDecodeURIComponent(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Follows pointer segments through objects and arrays; undefined when any step is missing. */
export function resolvePointer(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const segment of path) {
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(segment)) node = node[Number(segment)];
    else if (isSchemaObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}
