/** include/exclude selectors of an OpenAPI source. */
export interface Selector {
  readonly tags?: readonly string[];
  readonly operations?: readonly string[];
  readonly paths?: readonly string[];
  readonly methods?: readonly string[];
}

export interface OperationRef {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly tags: readonly string[];
}

/** `*` matches one path segment, `**` any number of segments. */
function pathGlob(glob: string): RegExp {
  const source = glob
    .split('/')
    .map((part) => (part === '**' ? '.*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')))
    .join('/');
  return new RegExp(`^${source.replace(/\/\.\*/g, '(/.*)?')}$`);
}

/** True when any of the selector's criteria matches (an empty selector matches nothing). */
export function matches(selector: Selector, op: OperationRef): boolean {
  return (
    (selector.tags ?? []).some((t) => op.tags.includes(t)) ||
    (selector.operations ?? []).includes(op.operationId) ||
    (selector.paths ?? []).some((g) => pathGlob(g).test(op.path)) ||
    (selector.methods ?? []).includes(op.method)
  );
}

export function selected(op: OperationRef, include: Selector | undefined, exclude: Selector | undefined): boolean {
  if (include && !matches(include, op)) return false;
  return !(exclude && matches(exclude, op));
}
