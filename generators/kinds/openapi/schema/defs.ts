import { parseRef, resolvePointer } from './refs.js';
import { isSchemaObject, type JsonSchema } from './types.js';
import { subschemaEntries } from './vocabulary.js';

export interface CollectedDefs {
  /** The converted components the schema uses, directly or through other defs, sorted by name. */
  readonly defs: Record<string, JsonSchema>;
  /** Refs to components that do not exist: `Name`, or `Name/path` when the component exists but the path does not. */
  readonly missing: string[];
  /** Refs that cannot become `#/$defs/...`: other files, URLs, or local pointers outside components.schemas. */
  readonly unsupported: string[];
}

/**
 * Picks the `$defs` a converted schema needs out of the converted components (convertComponents), following refs
 * inside defs too. Each def is visited once, so cycles stay as `$ref` and never loop. When `missing` or
 * `unsupported` is non-empty the schema cannot be served as is; the caller skips the operation with a warning.
 */
export function collectDefs(root: JsonSchema, components: Readonly<Record<string, JsonSchema>>): CollectedDefs {
  const used = new Set<string>();
  const missing = new Set<string>();
  const unsupported = new Set<string>();
  const pending: unknown[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    for (const ref of refsIn(node)) {
      const target = parseRef(ref);
      if (target.kind !== 'def') {
        unsupported.add(ref);
        continue;
      }
      const def = Object.hasOwn(components, target.name) ? components[target.name] : undefined;
      if (def === undefined) missing.add(target.name);
      else if (resolvePointer(def, target.path) === undefined) missing.add([target.name, ...target.path].join('/'));
      else if (!used.has(target.name)) {
        used.add(target.name);
        pending.push(def);
      }
    }
  }
  return {
    defs: Object.fromEntries([...used].sort().map((name) => [name, components[name] as JsonSchema])),
    missing: [...missing].sort(),
    unsupported: [...unsupported].sort()
  };
}

/** Every `$ref` in a schema, looking only where subschemas live (never inside default, examples, enum or const). */
export function refsIn(schema: unknown, found: string[] = []): string[] {
  if (!isSchemaObject(schema)) return found;
  if (typeof schema.$ref === 'string') found.push(schema.$ref);
  for (const [, sub] of subschemaEntries(schema)) refsIn(sub, found);
  return found;
}
