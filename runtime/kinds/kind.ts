import type { KindTelemetry, TraceParent } from '../core/telemetry.js';
import type { CompiledValidator, CompletionIROf, KindExec, KindName, SourceIR, SourceIROf, TemplateFn } from '../artifact/ir.js';
import type { KindTypes } from './types.js';
import type { Logger } from '../log.js';
import type { LogLevel } from '../sdk.js';
import type { Principal } from '../core/context.js';

export type { TemplateFn };

/** A list whose content a source may change while serving (an upstream's list_changed). */
export type ChangingList = 'tools' | 'resources' | 'prompts';

/** What kinds may use when preparing an executor at start-up. */
export interface Services {
  /** Absolute manifest directory: IR paths are relative to it. */
  readonly root: string;
  /** Absolute artifact directory. */
  readonly artifactDir: string;
  /** Imports a module of the artifact (fresh after each rebuild in `mcp-gen dev`). */
  importModule(relativePath: string): Promise<unknown>;
  readonly templates: Readonly<Record<string, TemplateFn>>;
  readonly log: Logger;
  /** Sources' run-time settings (credentials still as `${VAR}` references). */
  readonly sources: Readonly<Record<string, SourceIR>>;
  /** The artifact's precompiled validators by export name (for entries that are not tools themselves). */
  readonly validators: Readonly<Record<string, CompiledValidator>>;
  /**
   * The opened handle of a source (what its kind's `source.open` returned for this served artifact): entry
   * factories reach their pool or client through it. Throws when the artifact has no such source.
   */
  source<T = unknown>(name: string): T;
  /** The calling kind's own resources for this served artifact (what its `setUp` returned); undefined without one. */
  kindResources<T = unknown>(): T;
  /** A source tells the core that its part of a list changed; the core notifies clients. */
  listChanged(list: ChangingList): void;
  /** Metrics and spans of this kind's work (per-source figures); does nothing when the server observes nothing. */
  readonly telemetry: KindTelemetry;
}

/** Resources a served artifact owns (a source's pool or client, a kind's sandboxes): disposed on close and after a swap. */
export interface SourceHandle {
  dispose(): Promise<void>;
  /**
   * Readiness probe (/readyz): resolves when the dependency answers, rejects with a message that names the
   * source and carries no credentials. Optional.
   */
  ready?(): Promise<void>;
}

/** The handler context, identical in both protocol eras. */
export interface ToolContext {
  readonly signal: AbortSignal;
  readonly requestId: string | number;
  readonly toolName: string;
  log(level: LogLevel, message: string, data?: unknown): void;
  progress(progress: number, total?: number, message?: string): void;
  /** The client's declared capabilities (elicitation, sampling, roots, …). */
  readonly clientCapabilities: Readonly<Record<string, unknown>>;
  /** Asks the user through the client (elicitation/create). `key` names the question across 2026 rounds. */
  elicit(params: Record<string, unknown>, key?: string): Promise<Record<string, unknown>>;
  /** Asks the client's model (sampling/createMessage). */
  sample(params: Record<string, unknown>, key?: string): Promise<Record<string, unknown>>;
  /** Asks the client for its roots (roots/list). */
  listRoots(key?: string): Promise<Record<string, unknown>>;
  /** Ends the HTTP response stream early so the client reconnects and resumes it (2025 sessions; else a no-op). */
  closeStream(): void;
  /**
   * Runs `listener` once when the call is cancelled, like `signal`'s abort event but without making the
   * signal (cheaper on hot paths); returns its removal. Optional: contexts made elsewhere may lack it.
   */
  onCancel?(listener: () => void): () => void;
  /** 2026-07-28: keeps the round open while more questions may come from another thread; returns the release. */
  holdRound?(): () => void;
  /** Values kept across the rounds of one 2026-07-28 call (signed into requestState). */
  readonly state: Record<string, unknown>;
  /** The authenticated caller (`auth:`); undefined for a trusted caller. */
  readonly principal?: Principal;
  /** Reads one of this server's resources as the caller (their scopes apply); undefined when there is none. */
  readResource?(uri: string): Promise<ResourceContents[] | undefined>;
  /** HTTP: a header of the MCP request, for `forwardHeaders:` (never Authorization); undefined on stdio. */
  readonly requestHeader?: (name: string) => string | undefined;
  /** The request's span, when traced: the `parent` of the spans the kind opens (Services.telemetry.span). */
  readonly trace?: TraceParent;
}

/** What a resource read knows of its request: its span, when traced (the parent of the kind's spans). */
export interface ReadContext {
  readonly trace?: TraceParent;
}

export interface ToolResult {
  content: Record<string, unknown>[];
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

export interface ResourceContents {
  uri: string;
  mimeType: string;
  text?: string;
  blob?: string;
}

export type ToolExecutor = (args: Record<string, unknown>, ctx: ToolContext) => ToolResult | Promise<ToolResult>;
/** Returns undefined when the resource does not exist (the core answers with the era's not-found error). */
export type ResourceReader = (
  uri: string,
  variables: Readonly<Record<string, string>>,
  context?: ReadContext
) => Promise<ResourceContents[] | undefined>;
/** Completion values for a resource template variable. */
export type VariableCompleter = (variable: string, prefix: string) => Promise<string[]>;

/**
 * A reader of resources that change on disk: `watch` gives the file a subscription to `uri` watches
 * (`notifications/resources/updated`), undefined when the URI names no such file.
 */
export interface WatchedReader extends ResourceReader {
  watch?(variables: Readonly<Record<string, string>>): Promise<string | undefined>;
}

interface Executors {
  tool: ToolExecutor;
  resource: WatchedReader;
  resourceTemplate: WatchedReader & { complete?: VariableCompleter };
}

/** What the manifest said about the entry beyond its backend. */
export interface EntryInfo {
  readonly name: string;
  readonly mimeType?: string;
}

/** What prompts/get answers for a prompt a kind serves (before the era's envelope). */
export interface PromptResult {
  description?: string;
  messages: Record<string, unknown>[];
}
/** A prompt served by a kind: gets the caller's checked arguments and may ask the client through `ctx`. */
export type PromptGetter = (args: Readonly<Record<string, string>>, ctx: ToolContext) => Promise<PromptResult>;
export type ServedPrompt = PromptGetter & { complete?: VariableCompleter };

/** Kinds whose KindTypes row has a `prompt` column serve those prompts themselves. */
type PromptFactory<K extends KindName> = KindTypes[K] extends { prompt: infer P }
  ? { readonly prompt: (exec: { readonly kind: K } & P, services: Services, entry: EntryInfo) => ServedPrompt | Promise<ServedPrompt> }
  : unknown;

type EntryFactories<K extends KindName> = {
  readonly [T in keyof KindExec[K] as KindExec[K][T] extends never ? never : T]: (
    exec: { readonly kind: K } & KindExec[K][T],
    services: Services,
    entry: EntryInfo
  ) => Executors[T & keyof Executors] | Promise<Executors[T & keyof Executors]>;
};

/**
 * One backend kind at run time: turns each IR entry into an executor, once per served artifact. Everything it
 * opens is owned by the server instance (McpCore) through the handles below, never by module-level state.
 */
export type RuntimeKind<K extends KindName> = EntryFactories<K> &
  PromptFactory<K> & {
    /** Opens a source's resources (pool, HTTP agent, token cache), once per served artifact, before its entries. */
    readonly source?: {
      open(name: string, ir: SourceIROf<K>, services: Services): SourceHandle | Promise<SourceHandle>;
      /** Its lists may change while serving (it calls `services.listChanged`): the core declares `listChanged`. */
      readonly changesLists?: boolean;
    };
    /** Prompt-argument completer from the kind's CompletionIR. */
    readonly complete?: (ir: CompletionIROf<K>, services: Services) => VariableCompleter;
    /** Kind-wide resources without a source (handler sandboxes), once per served artifact; see Services.kindResources. */
    readonly setUp?: (services: Services) => SourceHandle;
    /** Its resources change without a rebuild (files, database rows): their reads get the short cache TTL. */
    readonly changing?: true;
  };

export function textResult(text: string, isError = false): ToolResult {
  return isError ? { content: [{ type: 'text', text }], isError: true } : { content: [{ type: 'text', text }] };
}

/**
 * A string is text; a ToolResult passes through; an object is structured content plus its JSON text;
 * other values (numbers, arrays) are JSON text only, since 2025 clients accept only objects as structured content.
 */
export function toToolResult(value: unknown): ToolResult {
  if (typeof value === 'string') return textResult(value);
  if (value === undefined || value === null) return { content: [] };
  if (typeof value === 'object' && Array.isArray((value as ToolResult).content)) return value as ToolResult;
  const text = { content: [{ type: 'text', text: JSON.stringify(value) }] };
  return typeof value === 'object' && !Array.isArray(value) ? { ...text, structuredContent: value } : text;
}
