import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema, EntrySchema, KindSchema } from '../kinds/kind-schema.js';
import { entryDefs } from './base-schema/entries.js';
import { policyDefs } from './base-schema/policy.js';
import { promptDefs } from './base-schema/prompts.js';
import { manifestRoot } from './base-schema/root.js';
import { serverDefs } from './base-schema/server.js';
import { toolsetDefs } from './base-schema/toolsets.js';

/** One registered kind as the composer sees it: its fragment and the keys that select it per entry type. */
export interface KindPart {
  readonly name: string;
  readonly schema: KindSchema;
  readonly selects: { readonly tool: readonly string[]; readonly resource: readonly string[] };
}

/** A `oneOf` of single required keys: an entry picks exactly one; reported as one MCPGEN_BACKEND_CHOICE error. */
export interface ChoiceGroup {
  readonly what: string;
  readonly keys: readonly string[];
}

export interface ComposedSchema {
  readonly schema: JsonSchema;
  /** By `$defs` name. */
  readonly choices: Readonly<Record<string, ChoiceGroup>>;
}

type Mutable = Record<string, unknown>;

/** Keys every entry has that come after the backend keys (access rules), so a kind's keys sit together. */
const accessKeys = ['scopes', 'fromAuth'];

/** Choice groups of the base schema, besides the generated backend choices. */
const baseChoices: Record<string, string> = { oneResourceAddress: "a resource's address", promptMessage: "a prompt message's body" };

/**
 * The manifest schema: the base schema (base-schema/) with every kind's fragment, in registry order, so the
 * output is deterministic. schema/manifest.schema.json is this, published for editors (a test keeps them equal).
 */
export function composeManifestSchema(kinds: readonly KindPart[]): ComposedSchema {
  const defs: Mutable = {};
  const addDefs = (from: Readonly<Record<string, JsonSchema>>, owner: string): void => {
    for (const [name, def] of Object.entries(from)) {
      if (name in defs) throw new Error(`manifest schema: $defs/${name} of ${owner} is already defined`);
      defs[name] = def;
    }
  };
  addDefs(serverDefs, 'the base schema');
  addDefs(entryDefs, 'the base schema');
  addDefs(promptDefs, 'the base schema');
  addDefs(policyDefs, 'the base schema');
  addDefs(toolsetDefs, 'the base schema');
  for (const k of kinds) addDefs(k.schema.defs ?? {}, `kind ${k.name}`);

  const toolKeys = kinds.flatMap((k) => k.selects.tool);
  const resourceKeys = kinds.flatMap((k) => k.selects.resource);
  const sourceKinds = kinds.filter((k) => k.schema.source !== undefined);
  for (const k of sourceKinds) {
    const ref = k.schema.source!.schema.$ref;
    const def = typeof ref === 'string' && ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length) : undefined;
    // A source schema in the kind's $defs gets them there; one written inline, where the dispatch uses it.
    if (def !== undefined && def in defs) defs[def] = withSourceKeys(defs[def] as JsonSchema);
  }
  const sourceKeys = sourceKinds.map((k) => k.schema.source!.key);
  defs.tool = tool(entryDefs.tool!, kinds);
  defs.resource = resource(entryDefs.resource!, kinds);
  defs.promptArgument = promptArgument(promptDefs.promptArgument!, kinds);
  defs.oneToolBackend = choice("A tool's backend", toolKeys);
  defs.oneResourceBackend = choice("A resource's backend", resourceKeys);
  if (sourceKeys.length > 0) defs.oneSourceBackend = choice("A source's backend", sourceKeys);

  const schema = { ...manifestRoot, properties: rootProperties(kinds, sourceKinds), $defs: defs };
  const choices: Record<string, ChoiceGroup> = {
    oneToolBackend: { what: "a tool's backend", keys: toolKeys },
    oneResourceBackend: { what: "a resource's backend", keys: resourceKeys },
    ...(sourceKeys.length > 0 ? { oneSourceBackend: { what: "a source's backend", keys: sourceKeys } } : {})
  };
  for (const [def, what] of Object.entries(baseChoices)) choices[def] = { what, keys: choiceKeys(defs[def] as JsonSchema) };
  return { schema, choices };
}

function choice(what: string, keys: readonly string[]): JsonSchema {
  return { description: `${what} is chosen by exactly one of: ${keys.join(', ')}.`, oneOf: keys.map((k) => ({ required: [k] })) };
}

function choiceKeys(def: JsonSchema): string[] {
  return (def.oneOf as { required: string[] }[]).map((branch) => branch.required[0]!);
}

function rootProperties(kinds: readonly KindPart[], sourceKinds: readonly KindPart[]): Mutable {
  const base = manifestRoot.properties as Record<string, JsonSchema>;
  const entries = Object.entries(base);
  const at = entries.findIndex(([key]) => key === 'sources');
  const own = kinds.map((k) => k.schema.manifest ?? {});
  const props = merge([Object.fromEntries(entries.slice(0, at)), ...own, Object.fromEntries(entries.slice(at))], 'the manifest');
  const summaries = sourceKinds.map((k) => k.schema.source!.summary);
  props.sources = {
    ...base.sources,
    description: `Named backends, each chosen by its key: ${summaries.join('; ')}.`,
    additionalProperties: sourceDispatch(sourceKinds)
  };
  return props;
}

/**
 * `sources.NAME` is checked against the schema of the kind its key selects; a source with none of the keys gets
 * one choice error. A non-object matches the first kind's `required` vacuously, and gets its "expected object".
 */
function sourceDispatch(sourceKinds: readonly KindPart[]): JsonSchema | false {
  if (sourceKinds.length === 0) return false;
  let node: JsonSchema = { $ref: '#/$defs/oneSourceBackend' };
  for (const { schema } of [...sourceKinds].reverse()) {
    const own = schema.source!.schema;
    node = { if: { required: [schema.source!.key] }, then: own.$ref === undefined ? withSourceKeys(own) : own, else: node };
  }
  return node;
}

/** Keys every source has whatever its kind: what they set is the default of each entry the source serves. */
function withSourceKeys(schema: JsonSchema): JsonSchema {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const maxResultBytes = {
    $ref: '#/$defs/maxResultBytes',
    description: "Split larger results of this source's tools into parts (a tool's own maxResultBytes wins)."
  };
  return { ...schema, properties: { ...properties, maxResultBytes } };
}

function tool(base: JsonSchema, kinds: readonly KindPart[]): JsonSchema {
  const parts = kinds.flatMap((k) => (k.schema.tool ? [{ kind: k, part: k.schema.tool, selects: k.selects.tool }] : []));
  const { required, ...rest } = base as Mutable;
  const amendKeys = parts.filter((p) => p.part.amends).flatMap((p) => p.selects);
  const amended = amendKeys.length === 1 ? { required: amendKeys } : { anyOf: amendKeys.map((k) => ({ required: [k] })) };
  const naming = amendKeys.length === 0 ? [] : [{ if: { not: amended }, then: { required } }];
  return {
    ...entry(amendKeys.length === 0 ? base : rest, parts, 'tool'),
    allOf: [{ $ref: '#/$defs/oneToolBackend' }, ...naming, ...parts.flatMap((p) => p.part.allOf ?? [])]
  };
}

function resource(base: JsonSchema, kinds: readonly KindPart[]): JsonSchema {
  const parts = kinds.flatMap((k) => (k.schema.resource ? [{ kind: k, part: k.schema.resource, selects: k.selects.resource }] : []));
  const allOf = [...((base.allOf as JsonSchema[] | undefined) ?? []), { $ref: '#/$defs/oneResourceBackend' }];
  return { ...entry(base, parts, 'resource'), allOf: [...allOf, ...parts.flatMap((p) => p.part.allOf ?? [])] };
}

interface Part {
  readonly kind: KindPart;
  readonly part: EntrySchema;
  readonly selects: readonly string[];
}

/** The entry's own keys, then each kind's, then the access keys; dependentRequired of all kinds. */
function entry(base: JsonSchema, parts: readonly Part[], what: string): Mutable {
  for (const p of parts) {
    const missing = p.selects.filter((key) => !(key in p.part.properties));
    if (missing.length === 0) continue;
    throw new Error(`manifest schema: kind ${p.kind.name} selects ${what}s by ${missing.join(', ')} but does not define it`);
  }
  const own = Object.entries(base.properties as Record<string, JsonSchema>);
  const before = Object.fromEntries(own.filter(([key]) => !accessKeys.includes(key)));
  const after = Object.fromEntries(own.filter(([key]) => accessKeys.includes(key)));
  const properties = merge([before, ...parts.map((p) => p.part.properties), after], `a ${what}`);
  const dependentRequired = merge(
    parts.map((p) => p.part.dependentRequired ?? {}),
    `a ${what}`
  );
  const { allOf: _allOf, ...rest } = base as Mutable;
  return { ...rest, ...(Object.keys(dependentRequired).length > 0 ? { dependentRequired } : {}), properties };
}

function promptArgument(base: JsonSchema, kinds: readonly KindPart[]): JsonSchema {
  const completes = kinds.flatMap((k) => (k.schema.complete ? [k.schema.complete] : []));
  if (completes.length === 0) return base;
  const complete = completes.length === 1 ? completes[0]! : { oneOf: completes };
  return { ...base, properties: { ...(base.properties as Mutable), complete } };
}

/** Objects joined in order; a key two of them define differently is a mistake in a kind's fragment. */
function merge(objects: readonly Readonly<Record<string, unknown>>[], where: string): Mutable {
  const out: Mutable = {};
  for (const o of objects) {
    for (const [key, value] of Object.entries(o)) {
      const clash = key in out && !isDeepStrictEqual(out[key], value);
      if (clash) throw new Error(`manifest schema: two kinds define "${key}" of ${where} differently`);
      out[key] = value;
    }
  }
  return out;
}
