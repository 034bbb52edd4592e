/**
 * The artifact contract between generators/ and runtime/: plain data, frozen by the runtime on load.
 * Bump ARTIFACT_FORMAT on any incompatible change; the runtime refuses other formats.
 */
export const ARTIFACT_FORMAT = 1;
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

export type KindName = 'template' | 'content' | 'handler' | 'file' | 'openapi' | 'sql';

export interface ContentBlockIR {
  readonly type: 'text' | 'image' | 'audio' | 'resource';
  readonly text?: string;
  /** base64 for image, audio and binary embedded resources */
  readonly data?: string;
  readonly mimeType?: string;
  readonly uri?: string;
}

/** What each kind stores for each entry type; `never` where a kind does not serve that entry type. */
export interface KindExec {
  template: { tool: { template: string }; resource: { template: string }; resourceTemplate: { template: string } };
  content: { tool: { content: readonly ContentBlockIR[] }; resource: { text: string }; resourceTemplate: never };
  handler: { tool: { module: string; sandbox?: SandboxIR }; resource: never; resourceTemplate: never };
  file: { tool: never; resource: { path: string }; resourceTemplate: { root: string } };
  openapi: { tool: OpenApiToolExec | OpenApiMetaExec; resource: never; resourceTemplate: never };
  sql: { tool: SqlExec; resource: SqlExec; resourceTemplate: SqlExec };
}

/**
 * How a handler runs (the manifest's top-level `sandbox:` merged with the tool's own); absent fields take the
 * runtime defaults (runtime/security/sandbox/settings.ts). Paths are relative to the manifest directory.
 */
export interface SandboxIR {
  readonly mode?: 'worker' | 'strict' | 'none';
  readonly heapMb?: number;
  readonly timeoutMs?: number;
  readonly workers?: number;
  readonly allowRead?: readonly string[];
  readonly allowWrite?: readonly string[];
}

/** A piece of one SQL statement: literal text, a bound value (`:name`) or an enum-checked identifier (`:{name}`). */
export type SqlPart = string | { readonly param: string } | { readonly ident: string };

/** A query against a SQL source, split into statements and parts at build (no placeholder parsing at run time). */
export interface SqlQueryIR {
  readonly source: string;
  /** One statement unless the entry allowed `multipleStatements`; run in order in one transaction. */
  readonly statements: readonly (readonly SqlPart[])[];
  /** Allowed values of each identifier property (from its enum, checked at build). */
  readonly identifiers?: Readonly<Record<string, readonly string[]>>;
  readonly readOnly: boolean;
}

/** A SQL-backed tool, resource or resource template: the query and how its rows are shaped. */
export interface SqlExec extends SqlQueryIR {
  readonly format: 'json' | 'markdown' | 'csv';
  readonly maxRows: number;
  readonly maxBytes: number;
  /** Completion queries by URI template variable (resource templates only). */
  readonly complete?: Readonly<Record<string, SqlQueryIR>>;
}

/** One OpenAPI parameter and the tool argument that carries it. */
export interface OpenApiParamIR {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly argument: string;
  readonly style?: 'matrix' | 'label' | 'simple' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  readonly contentType?: string;
}

/** An HTTP operation: how a tool call becomes a request. */
export interface OpenApiToolExec {
  readonly source: string;
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly params: readonly OpenApiParamIR[];
  /** `files`: multipart parts sent as bytes (the argument carries them base64-encoded). */
  readonly body?: { readonly argument: string; readonly mediaType: string; readonly files?: readonly string[] };
  /** Alternatives (OR) of scheme names that must all be satisfied (AND); empty: no auth. */
  readonly security: readonly (readonly string[])[];
  /** A server declared on the path or operation (may be relative to the source's base URL). */
  readonly server?: string;
}

/** A `mode: dynamic` source's meta-tool: search its operations, describe one, or call one. */
export interface OpenApiMetaExec {
  readonly source: string;
  readonly meta: 'search' | 'describe' | 'call';
}

/** One operation of a `mode: dynamic` source: a tool that is not listed, reached through the meta-tools. */
export interface OperationEntryIR {
  readonly name: string;
  /** The Tool object describe_operation shows. */
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly validator: string;
  readonly outputValidator?: string;
  /** As a tool's: undeclared arguments are refused. */
  readonly refuseUndeclared?: true;
  readonly exec: OpenApiToolExec;
  readonly method: string;
  readonly path: string;
  readonly tags: readonly string[];
}

/** OAuth2 client credentials; every string may hold `${VAR}` references. */
export interface ClientCredentialsIR {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
  readonly tokenUrl?: string;
}

export interface SecuritySchemeIR {
  readonly type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  readonly in?: 'header' | 'query' | 'cookie';
  readonly name?: string;
  readonly scheme?: string;
  /** oauth2: the clientCredentials flow's token endpoint. */
  readonly tokenUrl?: string;
}

/** A source's run-time settings, by kind. */
export type SourceIR = OpenApiSourceIR | SqlSourceIR;

/** A database; `database` keeps its `${VAR}` references (resolved at first use, never logged). */
export interface SqlSourceIR {
  readonly kind: 'sql';
  readonly dialect: 'sqlite' | 'postgres' | 'mysql';
  readonly database: string;
  readonly readOnly: boolean;
  readonly pool: { readonly min: number; readonly max: number };
  readonly statementTimeoutMs: number;
  /** SQLite: where statements run (absent: a thread; `process` can be killed mid-statement). */
  readonly isolation?: 'process';
}

/** An HTTP API; `baseUrl` and `auth` keep their `${VAR}` references (resolved when used). */
export interface OpenApiSourceIR {
  readonly kind: 'openapi';
  readonly baseUrl: string;
  readonly auth: Readonly<Record<string, string | ClientCredentialsIR>>;
  readonly schemes: Readonly<Record<string, SecuritySchemeIR>>;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Headers of the MCP request copied to upstream requests (lower-case; never authorization or cookie). */
  readonly forwardHeaders?: readonly string[];
  /** `mode: dynamic`: the operations, served through three meta-tools instead of one tool each. */
  readonly operations?: readonly OperationEntryIR[];
}

type ExecOf<T extends 'tool' | 'resource' | 'resourceTemplate'> = {
  [K in KindName]: KindExec[K][T] extends never ? never : { readonly kind: K } & KindExec[K][T];
}[KindName];

export type ToolExec = ExecOf<'tool'>;
export type ResourceExec = ExecOf<'resource'>;
export type ResourceTemplateExec = ExecOf<'resourceTemplate'>;

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
  readonly at: SourceRef;
}

export interface ResourceIR {
  readonly uri: string;
  readonly name: string;
  readonly mimeType: string;
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly exec: ResourceExec;
  /** Scopes a caller needs (all of them) to see and use it. */
  readonly scopes?: readonly string[];
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
  /** Values offered as completions, from a query (`:prefix` is the text typed so far). */
  readonly complete?: SqlQueryIR;
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
  readonly sessionIdleSeconds: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
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
  /** `auth:`: how HTTP callers (and, optionally, stdio) authenticate; absent: every caller is trusted. */
  readonly auth?: AuthIR;
  /** `limits:`: token buckets and concurrency limits; absent: no limits. */
  readonly limits?: LimitsIR;
  /** `audit:`: one JSON line per tool call, resource read and prompt get; absent: no audit log. */
  readonly audit?: AuditIR;
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
