import type {
  Artifact,
  KindExec,
  KindName,
  PromptArgumentIR,
  PromptIR,
  ResourceIR,
  ResourceTemplateIR,
  SourceIR,
  ToolIR
} from '../../runtime/artifact/ir.js';
import type { KindTypes } from '../../runtime/kinds/types.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { LoadedManifest } from '../load/load-manifest.js';
import type { LowerContext } from '../lower/context.js';
import type { KindSchema } from './kind-schema.js';

export type Entry = Readonly<Record<string, unknown>>;

export interface EntryRef {
  readonly name: string;
  readonly pointer: string;
  /** Names a template may use: tool argument names, or URI template variable names. */
  readonly declared: readonly string[];
}

/** Entry keys only some lowerings read: on any other entry they are an error that says what they are for. */
export interface OwnKeys {
  readonly keys: readonly string[];
  /** e.g. `sql/sqlFile backends`, shown as "`maxRows:` is for sql/sqlFile backends". */
  readonly for: string;
  readonly hint?: string;
}

export interface Lowering<Exec> {
  /** The manifest key that selects this kind for the entry type. */
  readonly key: string;
  /** Other manifest keys that select the same kind (e.g. `sqlFile` besides `sql`). */
  readonly keys?: readonly string[];
  /** Properties the kind adds to every tool's input schema (e.g. a pagination cursor). */
  readonly input?: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * Tools: the kind pages its own results (SQL: rows, with its own cursor). Given the tool's resolved
   * maxResultBytes, the exec whose pages stay within it; the core then never splits this tool's results.
   */
  pages?(exec: Exec, maxResultBytes: number, entry: Entry): Exec;
  /** Entry keys whose text is content, not configuration: `${VAR}` in them is left as written. */
  readonly literal?: readonly string[];
  /** Keys only this lowering reads (an error on entries of other kinds). */
  readonly own?: readonly OwnKeys[];
  /** Tools: results carry structured content, so the entry may declare `output:`. */
  readonly structured?: boolean;
  /**
   * Entries with this key refine an entry the kind's sources generate (OpenAPI `operation:`): the generic
   * lowering hands them to `lower` for their own checks only; the source's `lower` reads them.
   */
  readonly overrides?: boolean;
  /** Resources: the mimeType when the entry gives none (default text/plain). */
  mimeType?(exec: Exec, ctx: LowerContext): string;
  lower(entry: Entry, ref: EntryRef, ctx: LowerContext): Exec | undefined;
}

/** What a prompt argument's `complete:` lowers to. */
export type CompletionExec = NonNullable<PromptArgumentIR['complete']>;

/** The check of sources against the live systems: auto (reachable ones), required (unreachable is an error), off. */
export type CheckMode = 'auto' | 'required' | 'off';

export interface CheckOptions {
  readonly check: CheckMode;
  /** Create missing local data from seed files (the CLI's build does; the library writes nothing by default). */
  readonly seed: boolean;
}

/** What a source's `load` may use: the manifest, diagnostics at a pointer, and the files it read. */
export interface SourceLoadContext {
  readonly manifest: LoadedManifest;
  /** The artifact directory: where the last build's artifact may be read (never written here). */
  readonly outDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Whether to reach the live system (an upstream, a database) at build: see CheckMode. */
  readonly check: CheckMode;
  error(code: DiagnosticCode, message: string, pointer: string): void;
  warn(code: DiagnosticCode, message: string, pointer: string): void;
  /** A file the build read (watched by `mcp-gen dev`, hashed into inputs.json). */
  input(path: string): void;
}

/** A source lowered: its run-time settings and the entries it generates (OpenAPI operations, mounted MCP tools…). */
export interface SourceLowered {
  readonly source?: SourceIR;
  readonly tools?: readonly ToolIR[];
  readonly resources?: readonly ResourceIR[];
  readonly resourceTemplates?: readonly ResourceTemplateIR[];
  readonly prompts?: readonly PromptIR[];
  /**
   * A smaller form the source may be served in, when its tools outgrow their share of server.tokenBudget (an
   * OpenAPI source in `mode: auto`); or why it has none although it asked for one. generators/lower/fit.ts chooses.
   */
  readonly compact?: CompactForm | { readonly unavailable: string };
  /** Tags of the tools it generates, by tool name (OpenAPI: the operation's tags): what `toolsets:` `tags:` select. */
  readonly tags?: ReadonlyMap<string, readonly string[]>;
}

/** A source's tools replaced by fewer that still reach everything (OpenAPI: the search/describe/call trio). */
export interface CompactForm {
  readonly source: SourceIR;
  readonly tools: readonly ToolIR[];
  /** How the source's entries stay reachable, for the build's message, e.g. `callable through gh_call_operation`. */
  readonly reach: string;
  /** Where the choice is made: the message points here (e.g. `/sources/gh`). */
  readonly pointer: string;
  /**
   * A toolset's compact form of some of the source's tools (by name): tools named with `prefix` that reach only
   * those. Its `source` must then be served (it holds what they reach).
   */
  subset(tools: readonly string[], prefix: string): { readonly tools: readonly ToolIR[]; readonly reach: string };
}

/** A pattern in a document a source loaded (not the manifest), that a generated tool's validator runs. */
export interface DocumentPattern {
  readonly pattern: string;
  /** Where in the document: a JSON pointer (`#/…`), and a readable place when the loader knows one. */
  readonly pointer: string;
  readonly place?: string;
  readonly key: boolean;
}

/** A starter manifest, and what to tell the user about it. */
export interface Starter {
  readonly text: string;
  readonly notes: readonly string[];
}

/** `sources.NAME` entries handled by one kind. */
export interface SourceKind {
  /** The key in sources.NAME that selects the kind: 'openapi', 'database'. */
  readonly key: string;
  /** Settings whose `${VAR}` references are credentials: kept as references, resolved and redacted at run time. */
  readonly credentials?: readonly string[];
  /** Of the credentials, those the build never needs: a variable missing at build is a warning. */
  readonly runtimeOnly?: readonly string[];
  /** Progress line while this kind's sources load / are checked (e.g. `loading OpenAPI documents`). */
  readonly phases?: { readonly load?: string; readonly check?: string };
  /** Async, before lowering: load documents, connect upstreams. Diagnostics via ctx. The result is opaque. */
  load?(name: string, settings: Entry, ctx: SourceLoadContext): Promise<unknown>;
  /** The source's run-time settings and the tools it generates; `loaded` is what `load` returned. */
  lower(name: string, settings: Entry, loaded: unknown, ctx: LowerContext): SourceLowered | undefined;
  /** After lowering, against the live systems (SQL statements prepared on the database). Returns the artifact. */
  check?(artifact: Artifact, ctx: LowerContext, options: CheckOptions): Promise<Artifact>;
  /** When the tool list is over the token budget: the source of this kind with most tools, and what to do about it. */
  advice?(artifact: Artifact): { readonly source: string; readonly tools: number; readonly advice: string } | undefined;
  /**
   * `mcp-gen init --KEY VALUE` (KEY: this kind's source key): a starter manifest with one such source, from a
   * document or a live system. `notes` are shown to the user; `error` is one line and never echoes a credential.
   */
  starter?(schema: string, value: string, dir: string): Promise<Starter | { readonly error: string }>;
  /** Schema patterns in a loaded document that the artifact's validators run (checked for ReDoS). */
  patterns?(loaded: unknown, artifact: Artifact): readonly DocumentPattern[];
}

/** Entry types a kind serves only through what its sources generate (its KindTypes row's `sourceOnly`). */
type SourceOnly<K extends KindName> = KindTypes[K] extends { sourceOnly: infer T } ? T : never;

type EntryLowerings<K extends KindName> = {
  readonly [T in keyof KindExec[K] as KindExec[K][T] extends never ? never : T extends SourceOnly<K> ? never : T]: Lowering<KindExec[K][T]>;
} & {
  /** The kind's part of the manifest schema (generators/validate/compose-schema.ts joins them). */
  readonly schema: KindSchema;
};

/** One backend kind at build time. An entry type the kind does not serve is typed `never` and must be absent. */
export type GeneratorKind<K extends KindName> = EntryLowerings<K> & {
  /** A prompt argument's `complete:`, when its keys select this kind. */
  readonly complete?: Lowering<CompletionExec>;
  readonly source?: SourceKind;
  /** Declarations the kind adds to types.d.ts (e.g. SQL tools' result rows); `typeOf` writes a schema as a type. */
  types?(artifact: Artifact, typeOf: (schema: unknown) => string): string;
  /** What a server bundle (`mcp-gen bundle`) needs of this kind at run time. */
  readonly deploy?: KindDeploy;
  /**
   * Which tools of this kind only read, from their execution data (a SQL query that only reads, an OpenAPI GET or
   * HEAD): such a tool may have `cache:` without declaring `readOnlyHint: true` (generators/lower/cache.ts).
   * `which` says it in the build error's hint, e.g. `a SQL query that only reads`.
   */
  readonly readOnlyTool?: { readonly which: string; test(exec: KindExec[K]['tool']): boolean };
};

/** A kind's part of a server bundle (generators/bundle/needs.ts joins them). */
export interface KindDeploy {
  /** npm packages the kind may load that cannot be bundled (native, or loaded by name): kept out of server.mjs. */
  readonly external?: readonly string[];
  /**
   * What a server of this artifact needs: packages to install (a subset of `external`, or what compiled files
   * import), worker entry scripts (a file name in the bundle's workers/ → the runtime module it is compiled
   * from), and files it reads at run time (relative to the manifest directory, e.g. a SQLite database).
   * `files` are the artifact's compiled files (handlers) by their path in the artifact directory.
   */
  needs(artifact: Artifact, files: ReadonlyMap<string, string>): Promise<DeployNeeds> | DeployNeeds;
}

export interface DeployNeeds {
  readonly packages?: readonly string[];
  readonly workers?: Readonly<Record<string, URL>>;
  readonly files?: readonly string[];
}
