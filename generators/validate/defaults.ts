import type { JsonSchema } from '../kinds/kind-schema.js';
import { entryDefs } from './base-schema/entries.js';
import { policyDefs } from './base-schema/policy.js';
import { promptDefs } from './base-schema/prompts.js';
import { serverDefs } from './base-schema/server.js';

/**
 * Defaults are written once, as `default:` in the manifest schema (and so in docs/manifest.md); code that fills
 * in a missing key reads them from there. A path without a default throws: a typo fails the first test that loads
 * the module, not a manifest at run time.
 */
export function defaultOf<T>(schema: { readonly properties?: unknown }, ...path: readonly string[]): T {
  let node: { readonly properties?: unknown; readonly default?: unknown } | undefined = schema;
  for (const key of path) node = (node?.properties as Readonly<Record<string, JsonSchema>> | undefined)?.[key];
  if (node === undefined || !('default' in node)) throw new Error(`manifest schema: no default at ${path.join('.')}`);
  return structuredClone(node.default) as T;
}

const base: Readonly<Record<string, JsonSchema>> = { ...serverDefs, ...entryDefs, ...promptDefs, ...policyDefs };

/** The default of a key of the base schema, e.g. `baseDefault<number>('server', 'pageSize')`. */
export function baseDefault<T>(def: string, ...path: readonly string[]): T {
  const schema = base[def];
  if (schema === undefined) throw new Error(`manifest schema: no $defs/${def} in the base schema`);
  return defaultOf<T>(schema, ...path);
}

/** Every default among a schema object's own keys (one level), e.g. the transport's. */
export function defaultsOf(schema: JsonSchema): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Readonly<Record<string, JsonSchema>>;
  return Object.fromEntries(Object.entries(properties).flatMap(([key, p]) => ('default' in p ? [[key, structuredClone(p.default)]] : [])));
}
