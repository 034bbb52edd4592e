import type { KindName, ToolIR } from '../../runtime/artifact/ir.js';
import type { CompletionExec, Entry, GeneratorKind, Lowering, OwnKeys, SourceKind } from './kind.js';
import { contentKind } from './content/index.js';
import { fileKind } from './file/index.js';
import { handlerKind } from './handler/index.js';
import { mcpKind } from './mcp/index.js';
import { openapiKind } from './openapi/index.js';
import { sqlKind } from './sql/index.js';
import { templateKind } from './template/index.js';

/** Every backend kind, keyed by name; a kind missing here is a compile error. */
export const generatorKinds: { readonly [K in KindName]: GeneratorKind<K> } = {
  template: templateKind,
  content: contentKind,
  handler: handlerKind,
  file: fileKind,
  openapi: openapiKind,
  sql: sqlKind,
  mcp: mcpKind
};

export type EntryType = 'tool' | 'resource' | 'resourceTemplate';
const entryTypes: readonly EntryType[] = ['tool', 'resource', 'resourceTemplate'];

const kindNames = () => Object.keys(generatorKinds) as KindName[];
const loweringOf = (name: KindName, type: EntryType) => (generatorKinds[name] as Partial<Record<EntryType, Lowering<object>>>)[type];
const keysOf = (lowering: Pick<Lowering<unknown>, 'key' | 'keys'>) => [lowering.key, ...(lowering.keys ?? [])];
const selects = (lowering: Pick<Lowering<unknown>, 'key' | 'keys'>, entry: Entry) => keysOf(lowering).some((k) => k in entry);

/** The kind an entry selects by its backend key (the schema has already checked there is exactly one). */
export function kindFor(type: EntryType, entry: Entry): KindName | undefined {
  return kindNames().find((name) => {
    const lowering = loweringOf(name, type);
    return lowering !== undefined && selects(lowering, entry);
  });
}

/** The lowering an entry selects for its type. */
export function loweringFor(type: EntryType, entry: Entry): Lowering<object> | undefined {
  const kind = kindFor(type, entry);
  return kind && loweringOf(kind, type);
}

/** The lowering of a prompt argument's `complete:` its keys select. */
export function completionFor(value: Entry): Lowering<CompletionExec> | undefined {
  return kindNames()
    .map((name) => generatorKinds[name].complete)
    .find((c) => c !== undefined && selects(c, value));
}

/** Every manifest key that selects a backend, for any entry type. */
export function backendKeys(): string[] {
  return kindNames().flatMap((name) => entryTypes.flatMap((type) => loweringOf(name, type) ?? []).flatMap(keysOf));
}

/** Keys only some lowerings read, in registry order. */
export function ownKeys(): OwnKeys[] {
  return kindNames().flatMap((name) => entryTypes.flatMap((type) => loweringOf(name, type)?.own ?? []));
}

/** The kinds that handle `sources.NAME` entries, in registry order. */
export function sourceKinds(): { readonly kind: KindName; readonly source: SourceKind }[] {
  return kindNames().flatMap((kind) => (generatorKinds[kind].source ? [{ kind, source: generatorKinds[kind].source! }] : []));
}

/** Whether a manifest string is content, not configuration: a kind's literal entry key (`${VAR}` left as written). */
export function isLiteralKey(list: string, key: string): boolean {
  const types: readonly EntryType[] = list === 'tools' ? ['tool'] : list === 'resources' ? ['resource', 'resourceTemplate'] : [];
  return kindNames().some((name) => types.some((type) => loweringOf(name, type)?.literal?.includes(key)));
}

/**
 * Whether a pointer is a source setting some kind declares a credential (`/sources/api/auth/token`,
 * `/sources/db/database`): `runtime` when the build does not need it, `build` when it does.
 */
export function sourceCredential(pointer: string): 'build' | 'runtime' | undefined {
  const [top, , ...rest] = pointer.split('/').slice(1);
  if (top !== 'sources' || rest.length === 0) return undefined;
  // A declared path covers everything below it (`mcp/headers` covers `mcp/headers/Authorization`).
  const path = rest.join('/');
  const covers = (declared: readonly string[] | undefined) => declared?.some((d) => path === d || path.startsWith(`${d}/`)) === true;
  const kinds = sourceKinds().map((k) => k.source);
  if (kinds.some((k) => covers(k.runtimeOnly))) return 'runtime';
  return kinds.some((k) => covers(k.credentials)) ? 'build' : undefined;
}

type ReadOnlyHook = { readonly which: string; test(exec: unknown): boolean };
const readOnlyHooks = (): ReadOnlyHook[] =>
  kindNames().flatMap((name) => (generatorKinds[name] as { readOnlyTool?: ReadOnlyHook }).readOnlyTool ?? []);

/** Whether the kind of a tool declares, from its execution data, that the tool only reads (GeneratorKind.readOnlyTool). */
export function readOnlyByKind(tool: ToolIR): boolean {
  const hook = (generatorKinds[tool.exec.kind] as { readOnlyTool?: ReadOnlyHook }).readOnlyTool;
  return hook?.test(tool.exec) === true;
}

/** The tools kinds declare read-only, in words for a hint: `a SQL query that only reads, or an OpenAPI …`. */
export function readOnlyKindsText(): string {
  return readOnlyHooks()
    .map((h) => h.which)
    .join(', or ');
}
