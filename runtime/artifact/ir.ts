import type { KindTypes } from '../kinds/types.js';
import type { ContentBlockIR } from './content.js';

export type { ContentBlockIR };

/**
 * The artifact contract between generators/ and runtime/: plain data, frozen by the runtime on load.
 * Bump ARTIFACT_FORMAT on any incompatible change; the runtime refuses other formats.
 */
export const ARTIFACT_FORMAT = 2;
export const ARTIFACT_FILE = 'artifact.json';
export const LISTS_FILE = 'lists.json';
export const VALIDATORS_FILE = 'validators.mjs';
export const TEMPLATES_FILE = 'templates.mjs';
export const TYPES_FILE = 'types.d.ts';
/** What the build read (paths relative to the manifest, with their SHA-256): `run` warns when one changed since. */
export const INPUTS_FILE = 'inputs.json';

/** Where an entry was declared: the manifest (relative to its directory), line, column and JSON pointer. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly pointer: string;
}

/** Backend kinds, from the runtime registry's type map (runtime/kinds/types.ts). */
export type KindName = keyof KindTypes;

/** A precompiled template (templates.mjs) as a render function. */
export type TemplateFn = (data: unknown) => string;

/** A precompiled JSON Schema validator (validators.mjs). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null;
}

/** What each kind stores for each entry type; `never` where a kind does not serve that entry type. */
export type KindExec = { [K in KindName]: Pick<KindTypes[K], 'tool' | 'resource' | 'resourceTemplate'> };

/** A source's run-time settings, tagged with the kind that serves it. */
export type SourceIR = {
  [K in KindName]: [KindTypes[K]['source']] extends [never] ? never : { readonly kind: K } & KindTypes[K]['source'];
}[KindName];

/** How a prompt argument's values are completed (`complete:`), tagged with the kind that offers it. */
export type CompletionIR = {
  [K in KindName]: [KindTypes[K]['complete']] extends [never] ? never : { readonly kind: K } & KindTypes[K]['complete'];
}[KindName];

/** The settings of one kind's sources, and its completion IR. */
export type SourceIROf<K extends KindName> = Extract<SourceIR, { readonly kind: K }>;
export type CompletionIROf<K extends KindName> = Extract<CompletionIR, { readonly kind: K }>;

type ExecOf<T extends 'tool' | 'resource' | 'resourceTemplate'> = {
  [K in KindName]: KindExec[K][T] extends never ? never : { readonly kind: K } & KindExec[K][T];
}[KindName];

export type ToolExec = ExecOf<'tool'>;
export type ResourceExec = ExecOf<'resource'>;
export type ResourceTemplateExec = ExecOf<'resourceTemplate'>;
/** Prompts a kind serves itself (its KindTypes row has a `prompt` column), tagged with the kind. */
export type PromptExec = { [K in KindName]: KindTypes[K] extends { prompt: infer P } ? { readonly kind: K } & P : never }[KindName];

export interface ToolIR {
  readonly name: string;
  /** The Tool object exactly as tools/list shows it. */
  readonly descriptor: Readonly<Record<string, unknown>>;
  /** Export name of the precompiled argument validator in validators.mjs. */
  readonly validator: string;
  /** Export name of the precompiled validator of structured results (`output:`), if declared. */
  readonly outputValidator?: string;
  readonly exec: ToolExec;
  /** Declarative tools only: every result is a tool error. */
  readonly isError?: boolean;
  /** Asked through elicitation before the tool runs. */
  readonly confirm?: string;
  /** Arguments mirrored into `Mcp-Param-*` HTTP headers (`x-mcp-header`), checked against the body. */
  readonly paramHeaders?: readonly { readonly argument: string; readonly header: string }[];
  /** Scopes a caller needs (all of them) to see and call the tool; none: everyone (see docs/security.md). */
  readonly scopes?: readonly string[];
  /** Arguments filled from the caller's credentials (`fromAuth:`), by argument: `name` or `claims.<path>`. Not in the descriptor. */
  readonly fromAuth?: Readonly<Record<string, string>>;
  /**
   * Arguments the input schema does not declare (at its top level) are refused as a tool error naming the
   * accepted ones. Set for every tool the build generates unless its schema opts out; absent: not checked.
   */
  readonly refuseUndeclared?: true;
  /** `cache:`: results are kept for their TTL (only on read-only tools; checked at build). */
  readonly cache?: CacheIR;
  /**
   * Served only at these toolsets' endpoints, not at the root: a toolset's own form of what the root serves otherwise
   * (its restricted search/describe/call tools, or an operation the root reaches through its source's). Absent: root.
   */
  readonly onlyIn?: readonly string[];
  /** `select:`: a JMESPath projection of its results (checked and typed at build); absent: results as they come. */
  readonly select?: SelectIR;
  /** `maxResultBytes:` (its own, its source's or the server's): larger results are served in parts; absent: whole. */
  readonly continuation?: ContinuationIR;
  readonly at: SourceRef;
}

/** How a tool's large results are split: the bound, the argument that reads a next part, how long the whole is kept. */
export interface ContinuationIR {
  readonly maxBytes: number;
  /** `cursor`, or `resultCursor` when the tool has a `cursor` argument of its own. */
  readonly argument: string;
  readonly ttlMs: number;
}

/** A tool's `select:` expression and, with `fields: true`, the field names the model may pick with `fields`. */
export interface SelectIR {
  readonly expression: string;
  readonly fields?: readonly string[];
  /** The projection is not known to be an object: its value goes under `result` (structured content is an object). */
  readonly wrap?: true;
}

/** One `toolsets:` entry: the tools its endpoint serves (by name, in list order) and the scopes it adds to each. */
export interface ToolsetIR {
  readonly tools: readonly string[];
  readonly scopes?: readonly string[];
  readonly description?: string;
}

/** An entry's `cache:`: how long a result stays, and whether callers share it (see docs/caching.md). */
export interface CacheIR {
  readonly ttlMs: number;
  /** `principal`: each caller has its own entries; `shared`: every caller allowed to call the entry shares them. */
  readonly scope: 'shared' | 'principal';
}

/** The top-level `cache:`: where results live and how many bytes the in-memory store may hold. */
export interface CacheSettingsIR {
  /** `memory` or a `redis://` URL, `${VAR}` kept (resolved at start); absent: the default (runtime/cache/default-store.ts). */
  readonly store?: string;
  readonly maxBytes: number;
}

export interface ResourceIR {
  readonly uri: string;
  readonly name: string;
  readonly mimeType: string;
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly exec: ResourceExec;
  /** Scopes a caller needs (all of them) to see and use it. */
  readonly scopes?: readonly string[];
  readonly cache?: CacheIR;
  readonly at: SourceRef;
}

export interface UriVariable {
  readonly name: string;
  /** `{+var}` may span `/`; `{var}` may not. */
  readonly multiSegment: boolean;
}

export interface ResourceTemplateIR {
  readonly uriTemplate: string;
  readonly name: string;
  readonly mimeType?: string;
  /** Anchored regular expression matching concrete URIs; groups in `variables` order. */
  readonly pattern: string;
  readonly variables: readonly UriVariable[];
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly exec: ResourceTemplateExec;
  /** Scopes a caller needs (all of them) to see and use it. */
  readonly scopes?: readonly string[];
  readonly cache?: CacheIR;
  readonly at: SourceRef;
}

export type PromptMessageIR =
  | { readonly role: 'user' | 'assistant'; readonly template: string }
  | {
      readonly role: 'user' | 'assistant';
      readonly content: ContentBlockIR;
      /** Templates (by name) for an embedded resource's `uri` and `text` that use the prompt's arguments. */
      readonly uriTemplate?: string;
      readonly textTemplate?: string;
    };

export interface PromptArgumentIR {
  readonly name: string;
  readonly required: boolean;
  readonly enum?: readonly string[];
  /** Values offered as completions by a kind (a SQL query: `:prefix` is the text typed so far). */
  readonly complete?: CompletionIR;
}

export interface ElicitationIR {
  readonly key: string;
  readonly message: string;
  readonly requestedSchema: Readonly<Record<string, unknown>>;
}

export interface PromptIR {
  readonly name: string;
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly arguments: readonly PromptArgumentIR[];
  readonly elicit?: readonly ElicitationIR[];
  readonly messages: readonly PromptMessageIR[];
  /** A prompt a kind serves (messages come from there; `messages` is empty). Absent: rendered by the core. */
  readonly exec?: PromptExec;
  /** Scopes a caller needs (all of them) to see and use it. */
  readonly scopes?: readonly string[];
  readonly at: SourceRef;
}

export interface TransportIR {
  readonly type: 'stdio' | 'http';
  readonly host: string;
  readonly port: number | string;
  readonly path: string;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly maxSessions: number;
  /** Most 2025-era sessions of one principal (of one client address when unauthenticated). */
  readonly maxSessionsPerPrincipal: number;
  /** X-Forwarded-For names the client address (only behind a proxy that sets it). */
  readonly trustProxy: boolean;
  /** WebSocket upgrades on the endpoint's path (optional: artifacts built before it serve none). */
  readonly websocket?: boolean;
  /** The deprecated HTTP+SSE transport at /sse and /messages (optional: artifacts built before it serve none). */
  readonly legacySse?: boolean;
  readonly sessionIdleSeconds: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /**
   * `GET /metrics`: on (`true`, the default), off, or behind a bearer token (`${VAR}` in the artifact, resolved at
   * start). Optional: artifacts built before it serve metrics.
   */
  readonly metrics?: boolean | { readonly token: string };
  /** HTTPS: PEM file paths relative to the manifest directory. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** `transport.limits`; unset keys take the runtime's defaults (runtime/transports/limits.ts). */
  readonly limits?: Partial<TransportLimits>;
}

export interface TransportLimits {
  readonly maxJsonDepth: number;
  readonly maxArgumentBytes: number;
  /** Longest stdio line (one message), in bytes; unset: `transport.maxBodyBytes`. */
  readonly maxLineBytes: number;
  readonly maxStreamsPerSession: number;
  readonly bodyTimeoutSeconds: number;
  readonly requestTimeoutSeconds: number;
  /** HTTP: bytes of request bodies being received at once, all connections together. */
  readonly maxBufferedBodyBytes: number;
}

export interface ServerIR {
  readonly name: string;
  readonly version: string;
  readonly title?: string;
  readonly instructions?: string;
  readonly pageSize: number;
}

export interface Artifact {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly generator: { readonly name: 'mcp-gen'; readonly version: string };
  /** The manifest's directory relative to the artifact directory; file paths in the IR are relative to it. */
  readonly manifestDir: string;
  readonly server: ServerIR;
  readonly transport: TransportIR;
  readonly sources: Readonly<Record<string, SourceIR>>;
  readonly tools: readonly ToolIR[];
  readonly resources: readonly ResourceIR[];
  readonly resourceTemplates: readonly ResourceTemplateIR[];
  readonly prompts: readonly PromptIR[];
  /** `toolsets:`: named groups of tools, each served at transport.path + "/" + name; absent: none. */
  readonly toolsets?: Readonly<Record<string, ToolsetIR>>;
  /** `auth:`: how HTTP callers (and, optionally, stdio) authenticate; absent: every caller is trusted. */
  readonly auth?: AuthIR;
  /** `state:` (its store unresolved: `${VAR}` kept); absent: memory. */
  readonly state?: { readonly store: string; readonly prefix: string };
  /** `limits:`: token buckets and concurrency limits; absent: no limits. */
  readonly limits?: LimitsIR;
  /** `audit:`: one JSON line per tool call, resource read and prompt get; absent: no audit log. */
  readonly audit?: AuditIR;
  /** `cache:` settings; absent: entries with `cache:` use the default store and size. */
  readonly cache?: CacheSettingsIR;
  /** Strings holding secrets as references (`enc:v1:…`, `${file:…}`, credentials' `${VAR}`), resolved at start. */
  readonly secrets?: readonly SecretRefIR[];
}

/** Where a secret reference sits: a JSON pointer into artifact.json, and where the manifest wrote it. */
export interface SecretRefIR {
  readonly path: string;
  readonly at: SourceRef;
}

/** A token bucket: `burst` tokens at most, refilled at `limit` per `windowMs`; `text` is how the manifest said it. */
export interface RateIR {
  readonly limit: number;
  readonly windowMs: number;
  readonly burst: number;
  readonly text: string;
}

/** Limits of one tool, overriding the defaults of `limits:`. */
export interface ToolLimitsIR {
  readonly tool?: RateIR;
  readonly principalTool?: RateIR;
  readonly concurrency?: number;
}

export interface LimitsIR {
  /** `memory`, or a `redis://` URL that may hold `${VAR}` references (resolved at start, never stored resolved). */
  readonly store: string;
  /** `limits.store` was not written: the runtime uses the state store (`state.store`, --state, MCPGEN_STATE) when shared. */
  readonly storeUnset?: true;
  /** What a call gets while the store is unreachable: refused (`closed`) or let through (`open`). */
  readonly onStoreError: 'closed' | 'open';
  readonly global?: RateIR;
  readonly principal?: RateIR;
  readonly tool?: RateIR;
  readonly principalTool?: RateIR;
  readonly concurrency?: number;
  readonly tools: Readonly<Record<string, ToolLimitsIR>>;
}

/** Where audit lines go; a file path is relative to the manifest's directory. */
export type AuditIR = { readonly sink: 'stderr' } | { readonly sink: 'file'; readonly path: string; readonly flushMs: number };

/** An API key: `key` is a `${VAR}` reference resolved (and hashed) at start, or the SHA-256 of a literal key; never the key. */
export interface ApiKeyIR {
  readonly name: string;
  readonly key?: string;
  readonly sha256?: string;
  readonly scopes: readonly string[];
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** An OAuth 2.1 authorization server whose JWT access tokens this server accepts (as a resource server). */
export interface OAuthIR {
  readonly issuer: string;
  /** This server's resource URL: tokens must name it in `aud`. */
  readonly audience: string;
  readonly jwksUri?: string;
  /** Public keys (JWKs) instead of a JWKS URL. */
  readonly keys?: readonly Readonly<Record<string, unknown>>[];
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
}

export interface AuthIR {
  readonly apiKeys: readonly ApiKeyIR[];
  readonly oauth?: OAuthIR;
  /** stdio is trusted unless this names an environment variable holding one of the API keys. */
  readonly stdio?: { readonly apiKeyEnv: string };
  /** Every scope the artifact uses (the metadata's scopes_supported). */
  readonly scopes: readonly string[];
}

/** lists.json: each list method's result pages, each already serialised (without era-specific fields). */
export interface ListPages {
  readonly tools: readonly string[];
  readonly resources: readonly string[];
  readonly resourceTemplates: readonly string[];
  readonly prompts: readonly string[];
}
