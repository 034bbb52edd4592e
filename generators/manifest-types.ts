/* eslint-disable */
/**
 * Generated from the composed manifest schema (generators/validate/compose-schema.ts) by test/helpers/manifest-types.ts.
 * Do not edit by hand; run: npm run schema
 */
/**
 * A larger result is not cut blindly: it is split at a clean boundary (array items, else lines), the first part
 * returned with a note and a cursor, the next parts by calling again with it (the whole result kept for
 * server.continuationTtl, for this caller only). SQL pages its rows within it. See docs/openapi.md (Continuation).
 */
export type MaxResultBytes = number;
/**
 * OAuth-style scope names (no spaces, quotes or backslashes).
 */
export type Scopes = string[];
/**
 * A token bucket: `60/minute`, or `{ rate: 60/minute, burst: 10 }` (burst: how many calls may come at once; default N).
 */
export type Rate =
  | string
  | {
      /**
       * N/unit, e.g. 60/minute: N calls per second, minute, hour or day.
       */
      rate: string;
      /**
       * Bucket size: calls allowed at once after a quiet spell (default: N).
       */
      burst?: number;
    };
/**
 * A header name. Authorization, Proxy-Authorization, Cookie, Host, Content-*, Transfer-Encoding, Connection and Mcp-*
 * are never forwarded: give upstream credentials under auth:.
 */
export type ForwardableHeader = string;
/**
 * `name` (the caller's name: API key name or token subject) or `claims.<path>` (a claim of the caller's token, or of an
 * API key's claims:).
 */
export type FromAuth = string;
/**
 * 1-64 characters from A-Z, a-z, 0-9, `_`, `.` and `-`.
 */
export type Name = string;
/**
 * One content block: text, an image or audio file, or an embedded resource.
 */
export type ContentItem =
  | {
      type?: 'text';
      text: string;
    }
  | {
      type?: 'image' | 'audio';
      /**
       * Path relative to the manifest.
       */
      file: string;
      /**
       * Detected from the extension when omitted.
       */
      mimeType?: string;
    }
  | {
      type?: 'resource';
      uri: string;
      mimeType?: string;
      text?: string;
      file?: string;
    };

/**
 * One file declaring an MCP server: its tools, resources, resource templates and prompts.
 */
export interface Manifest {
  /**
   * Editor hint; ignored by mcp-gen.
   */
  $schema?: string;
  server: Server;
  transport?: Transport;
  auth?: Auth;
  state?: State;
  limits?: Limits;
  audit?: Audit;
  cache?: Cache;
  sandbox?: Sandbox;
  /**
   * Named backends, each chosen by its key: `openapi:` an OpenAPI document (every selected operation becomes a tool);
   * `database:` a SQL database that tools, resources and completions query; `mcp:` an upstream MCP server (its tools,
   * resources and prompts are mounted under a prefix).
   */
  sources?: {
    [k: string]: OpenapiSource | SqlSource | McpSource;
  };
  /**
   * Tools the model can call. An empty key (all entries commented out) means none.
   */
  tools?: Tool[] | null;
  /**
   * Resources (with `uri`) and resource templates (with `uriTemplate`). An empty key (all entries commented out) means
   * none.
   */
  resources?: Resource[] | null;
  /**
   * Prompt templates the user can pick. An empty key (all entries commented out) means none.
   */
  prompts?: Prompt[] | null;
  toolsets?: Toolsets;
}
/**
 * Who the server says it is.
 */
export interface Server {
  /**
   * Server name reported to clients.
   */
  name: string;
  /**
   * Server version reported to clients.
   */
  version: string;
  /**
   * Human-readable name.
   */
  title?: string;
  /**
   * Text the client may add to the model's system prompt.
   */
  instructions?: string;
  /**
   * Items per page of each list (cursor pagination).
   */
  pageSize?: number;
  maxResultBytes?: MaxResultBytes;
  /**
   * Seconds a split result is kept for the calls that read its next parts (in the cache store: memory, or Redis shared
   * by every instance).
   */
  continuationTtl?: number;
  /**
   * Warn at build when the tool list, as a model sees it, is larger than this many tokens (approximate: bytes / 4).
   */
  tokenBudget?: number;
}
/**
 * Defaults for `mcp-gen run`; command-line flags win.
 */
export interface Transport {
  /**
   * Serve over stdio or Streamable HTTP.
   */
  type?: 'stdio' | 'http';
  /**
   * HTTP listen address.
   */
  host?: string;
  /**
   * HTTP port (a number, or `${PORT}`).
   */
  port?: number | string;
  /**
   * HTTP endpoint path.
   */
  path?: string;
  /**
   * Host header values accepted besides loopback names (DNS-rebinding protection).
   */
  allowedHosts?: string[];
  /**
   * Origin header values accepted besides loopback origins.
   */
  allowedOrigins?: string[];
  /**
   * Largest accepted request body.
   */
  maxBodyBytes?: number;
  /**
   * Most concurrent 2025-era sessions of all callers together; past it a new session is refused (HTTP 503, Retry-After)
   * until one ends or expires. Open sessions are never evicted.
   */
  maxSessions?: number;
  /**
   * Most concurrent 2025-era sessions of one principal (of one client address when unauthenticated); past it that
   * caller's new session is refused (HTTP 429, JSON-RPC -32033) and no other caller's session is touched.
   */
  maxSessionsPerPrincipal?: number;
  /**
   * Also serve the deprecated HTTP+SSE transport of protocol 2024-11-05 for old clients: GET /sse opens the stream,
   * POST /messages?sessionId=… sends (both paths reserved). A stream lives in the instance that opened it: behind
   * several instances it needs sticky routing.
   */
  legacySse?: boolean;
  /**
   * Also accept WebSocket connections on the HTTP endpoint path (ws://host:port/mcp, subprotocol mcp): one JSON-RPC
   * message per text frame, with the same Host/Origin checks, auth, limits and audit as HTTP.
   */
  websocket?: boolean;
  /**
   * Take the client address from the last X-Forwarded-For entry, the one the proxy in front appended (for per-address
   * session quotas). Only behind such a proxy: without one, any client can send the header.
   */
  trustProxy?: boolean;
  /**
   * A 2025-era session unused this long is closed.
   */
  sessionIdleSeconds?: number;
  /**
   * Server log level (stderr).
   */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Prometheus metrics at `GET /metrics` on the HTTP listener (outside MCP auth and the Host allow-list): `true` (the
   * default when unset), `false` (404), or `{ token: ${METRICS_TOKEN} }` to ask scrapers for `Authorization: Bearer`
   * with that token (resolved at start, never written into the artifact). See docs/operations.md.
   */
  metrics?:
    | boolean
    | {
        /**
         * Bearer token scrapers must send; write it as `${VAR}` so it stays out of the manifest.
         */
        token: string;
      };
  /**
   * Serve HTTPS: PEM files, relative to the manifest (or `${VAR}`); `--tls-cert` / `--tls-key` win. See
   * docs/security.md#transport.
   */
  tls?: {
    /**
     * Certificate chain (PEM file).
     */
    cert: string;
    /**
     * Private key (PEM file).
     */
    key: string;
  };
  /**
   * Limits on what one request may hold or take; see docs/security.md#transport.
   */
  limits?: {
    /**
     * Deepest nesting of arrays and objects in a message (HTTP body or stdio line).
     */
    maxJsonDepth?: number;
    /**
     * Largest single argument of tools/call, prompts/get or completion/complete, as JSON bytes.
     */
    maxArgumentBytes?: number;
    /**
     * Longest stdio line (one message), in bytes; refused as soon as it passes the limit, the rest of the line skipped.
     * Default: `transport.maxBodyBytes` (4 MiB).
     */
    maxLineBytes?: number;
    /**
     * Most open HTTP streams (requests in flight and GET streams) of one 2025-era session.
     */
    maxStreamsPerSession?: number;
    /**
     * Time allowed to receive an HTTP request's headers and body.
     */
    bodyTimeoutSeconds?: number;
    /**
     * Time allowed to answer a request (subscriptions/listen excepted); past it the work is cancelled.
     */
    requestTimeoutSeconds?: number;
    /**
     * HTTP: bytes of request bodies held at once, all connections together, from a body's first byte until its request
     * is answered (never less than maxBodyBytes). A body that does not fit is refused with 503 and Retry-After: 1, so
     * slow uploads, or bodies waiting for slow calls, cannot hold the server's memory.
     */
    maxBufferedBodyBytes?: number;
  };
}
/**
 * Authentication of HTTP callers (and optionally stdio). Without auth: every caller is trusted. See docs/security.md.
 */
export interface Auth {
  /**
   * Static bearer tokens, each a principal with scopes. Clients send Authorization: Bearer <key>.
   *
   * @minItems 1
   */
  apiKeys?: [ApiKey, ...ApiKey[]];
  oauth?: Oauth;
  /**
   * stdio is local and trusted by default; set apiKeyEnv to require a key.
   */
  stdio?: {
    /**
     * Environment variable that must hold one of apiKeys when serving stdio; the server refuses to start otherwise.
     */
    apiKeyEnv: string;
  };
}
export interface ApiKey {
  /**
   * The principal's name (logs, audit, fromAuth: name).
   */
  name: string;
  /**
   * The key, as a ${VAR} reference (resolved and hashed at start; only the reference is stored). A literal key is
   * stored as its SHA-256.
   */
  key: string;
  scopes?: Scopes;
  /**
   * Claims of this principal, for fromAuth: claims.<path>.
   */
  claims?: {
    [k: string]: unknown;
  };
}
/**
 * An OAuth 2.1 authorization server: JWT access tokens are verified (signature, iss, aud, exp, nbf, algorithm).
 */
export interface Oauth {
  /**
   * The tokens' iss; listed as the authorization server in the protected resource metadata.
   */
  issuer: string;
  /**
   * This server's resource URL (RFC 8707), e.g. https://mcp.example.com/mcp: tokens must name it in aud.
   */
  audience: string;
  /**
   * The issuer's JWKS URL (fetched and cached).
   */
  jwksUri?: string;
  /**
   * Public keys (JWK) instead of jwksUri.
   *
   * @minItems 1
   */
  keys?: [
    {
      [k: string]: unknown;
    },
    ...{
      [k: string]: unknown;
    }[]
  ];
  /**
   * Accepted signature algorithms (asymmetric only: none and HS* are never accepted).
   *
   * @minItems 1
   */
  algorithms?: [
    'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA',
    ...('RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA')[]
  ];
  /**
   * Allowed clock skew for exp and nbf.
   */
  clockToleranceSeconds?: number;
}
/**
 * Where state a later request may need lives (2025 sessions, resumable SSE streams, subscriptions, the requestState
 * key): memory (this process) or Redis, shared by every instance behind a load balancer. See docs/scale-out.md.
 */
export interface State {
  /**
   * memory, or a redis:// (rediss://) URL. ${VAR} is resolved at start and never stored resolved. `mcp-gen run --state
   * URL` and MCPGEN_STATE win over it.
   */
  store?: string;
  /**
   * Prefix of every Redis key and channel: deployments (or tests) sharing one Redis use different ones.
   */
  prefix?: string;
}
/**
 * Rate limits (token buckets) and concurrency limits, enforced before each tool call, resource read and prompt get. See
 * docs/security.md#rate-limits.
 */
export interface Limits {
  /**
   * Where the buckets live: memory (this process), or a redis:// (rediss://) URL shared by every instance. ${VAR} is
   * resolved at start and never stored resolved. Not written: the state store when it is Redis (state.store), else
   * memory.
   */
  store?: string;
  /**
   * While the Redis store is unreachable: closed refuses calls (JSON-RPC error -32030, HTTP 503); open lets them
   * through unlimited (logged).
   */
  onStoreError?: 'closed' | 'open';
  global?: Rate;
  principal?: Rate;
  tool?: Rate;
  principalTool?: Rate;
  /**
   * Default for each tool: calls running at once (shared across instances with a redis store); over it: a tool error.
   */
  concurrency?: number;
  /**
   * Per-tool overrides, by tool name.
   */
  tools?: {
    [k: string]: ToolLimits;
  };
}
/**
 * Limits of one tool; each key overrides the default of the same name under limits:.
 */
export interface ToolLimits {
  tool?: Rate;
  principalTool?: Rate;
  /**
   * Calls of this tool running at once.
   */
  concurrency?: number;
}
/**
 * Audit log: one JSON line per tool call, resource read and prompt get (denied, limited and invalid ones too). See
 * docs/security.md#audit-log.
 */
export interface Audit {
  /**
   * stderr, or { file: ./audit.log }.
   */
  sink:
    | 'stderr'
    | {
        /**
         * Path (relative to the manifest) of the append-only log file.
         */
        file: string;
      };
  /**
   * File sink: buffered lines are written at least this often (and on shutdown, then fsynced).
   */
  flushMs?: number;
}
/**
 * Where the results of entries with cache: live. See docs/caching.md.
 */
export interface Cache {
  /**
   * memory (this process, a byte-bounded LRU) or a redis:// (rediss://) URL shared by every instance. Default:
   * limits.store when that is a Redis URL, else memory. ${VAR} is resolved at start and never stored resolved.
   */
  store?: string;
  /**
   * Most bytes the memory store holds (keys and serialised results); the least recently used go first.
   */
  maxBytes?: number;
}
export interface Sandbox {
  /**
   * worker: a worker thread with its own heap; strict: a child process under Node's permission model (file access
   * limited to allowRead/allowWrite); none: the server's thread (no isolation).
   */
  mode?: 'worker' | 'strict' | 'none';
  /**
   * Memory limit of each sandbox (MB). worker: bounds the V8 heap and, separately, the memory held outside it (Buffers,
   * typed arrays, large strings), measured while a call runs; a worker may hold up to about twice this. strict: bounds
   * the child process's heap only. A handler that exceeds it gets a tool error and its sandbox is replaced.
   */
  heapMb?: number;
  /**
   * Time limit of one call (ms), not counting waits for the client's answers; the sandbox is stopped and the call gets
   * a tool error.
   */
  timeoutMs?: number;
  /**
   * Calls that may run at once (one per worker or process); more wait in line.
   */
  workers?: number;
  /**
   * strict: files and folders the handler may read (relative to the manifest).
   */
  allowRead?: string[];
  /**
   * strict: files and folders the handler may write (relative to the manifest).
   */
  allowWrite?: string[];
}
/**
 * An HTTP API described by an OpenAPI 3.0/3.1 document.
 */
export interface OpenapiSource {
  /**
   * Path (relative to the manifest) or file URL of the OpenAPI document, YAML or JSON.
   */
  openapi: string;
  /**
   * Server URL; default: the first of the document's servers[] (with its variables' defaults). Resolved at run time, so
   * ${VAR} works.
   */
  baseUrl?: string;
  /**
   * Credentials by securityScheme name (use ${VAR}); resolved at run time and never stored resolved in the artifact. A
   * string is the key or token (user:password for http basic); for an oauth2 scheme with a clientCredentials flow, an
   * object: mcp-gen fetches, caches and refreshes the token; { tokenExchange: … }: the caller's own token exchanged for
   * one meant for this API (RFC 8693). A string may also use ${auth.name} and ${auth.claims.<path>}: the calling
   * principal's own credential (docs/security.md).
   */
  auth?: {
    [k: string]: string | ClientCredentials | TokenExchange;
  };
  include?: OperationSelector;
  exclude?: OperationSelector;
  /**
   * Upstream request timeout.
   */
  timeoutMs?: number;
  /**
   * Larger responses are cut, with a notice to the model.
   */
  maxResponseBytes?: number;
  /**
   * Each tool's outputSchema, from its 2xx JSON response (object responses only). true or "shape" (default): the root's
   * property names and types, small enough for large APIs; "full": the complete schema, every nested property and
   * constraint; false: none. A response that breaks it becomes a tool error.
   */
  outputSchema?: boolean | ('shape' | 'full');
  /**
   * Values for the document's server variables (e.g. region: eu); the document's defaults otherwise.
   */
  serverVariables?: {
    [k: string]: string;
  };
  /**
   * Headers of the client's MCP request (HTTP only) copied to every upstream request, e.g. [x-request-id,
   * accept-language, { from: x-tenant, to: x-org-id }] (an object renames it). Only these: the client's Authorization
   * header is never forwarded (credentials for the upstream come from auth:, or its token exchanged: tokenExchange);
   * Authorization, Cookie, Host, Content-*, Transfer-Encoding, Connection and Mcp-* can be neither source nor target.
   */
  forwardHeaders?: (
    | ForwardableHeader
    | {
        from: ForwardableHeader;
        to: ForwardableHeader;
      }
  )[];
  /**
   * Fetch $refs to http(s) URLs at build. false (default): never, the build does not reach the network unless asked,
   * and an operation that needs a remote ref is skipped with a warning. true: public URLs (loopback and private
   * addresses stay refused). A list of URL prefixes: only URLs under them, whatever their host.
   */
  allowRemoteRefs?: boolean | string[];
  /**
   * tools: one tool per operation. dynamic: three tools instead (<source>_search_operations,
   * <source>_describe_operation, <source>_call_operation), for APIs with hundreds of operations: the tool list stays
   * small and the model looks operations up when it needs them. auto (default): tools while they fit the source's share
   * of server.tokenBudget, else dynamic; the build says which and why.
   */
  mode?: 'auto' | 'tools' | 'dynamic';
  /**
   * How much of the document's text tools carry. compact: the summary and the first paragraph of the description, links
   * as text, capped (tools 300 characters, parameters 200); full: summary as title, summary and description (capped at
   * 1024), parameter descriptions whole; none: the summary only, no parameter descriptions.
   */
  descriptions?: 'compact' | 'full' | 'none';
  /**
   * refs: shared schemas stay in $defs and are referenced; inline: no $ref anywhere (cycles cut), for clients that
   * cannot follow $ref.
   */
  schemas?: 'refs' | 'inline';
  scopes?: Scopes;
  fromAuth?: FromAuthMap;
  maxResultBytes?: MaxResultBytes;
}
/**
 * OAuth2 client credentials grant.
 */
export interface ClientCredentials {
  /**
   * Client id (use ${VAR}).
   */
  clientId: string;
  /**
   * Client secret (use ${VAR}).
   */
  clientSecret: string;
  /**
   * Scopes to request.
   */
  scopes?: string[];
  /**
   * Token endpoint; default: the scheme's clientCredentials.tokenUrl in the document.
   */
  tokenUrl?: string;
}
/**
 * OAuth 2.0 Token Exchange (RFC 8693): the caller's access token is exchanged for one meant for this API, cached per
 * caller until it expires. Needs auth.oauth on the server (the caller signs in with a token).
 */
export interface TokenExchange {
  /**
   * Where and how to exchange the token: this server as a client of the token endpoint. See docs/openapi.md.
   */
  tokenExchange: {
    /**
     * Token endpoint; default: the scheme's token URL in the document.
     */
    tokenUrl?: string;
    /**
     * This server's client id at the token endpoint (use ${VAR}).
     */
    clientId: string;
    /**
     * Its client secret (use ${VAR}).
     */
    clientSecret: string;
    /**
     * The audience to ask for (the upstream API).
     */
    audience?: string;
    /**
     * The resource to ask for (RFC 8707), when the endpoint wants one.
     */
    resource?: string;
    /**
     * Scopes to ask for.
     */
    scopes?: string[];
  };
}
export interface OperationSelector {
  /**
   * Operations with any of these tags.
   */
  tags?: string[];
  /**
   * operationIds.
   */
  operations?: string[];
  /**
   * Path globs, e.g. /pets/* (* matches one segment, ** any).
   */
  paths?: string[];
  /**
   * HTTP methods, lower case.
   */
  methods?: ('get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace')[];
}
export interface FromAuthMap {
  [k: string]: FromAuth;
}
/**
 * A SQL database: SQLite, PostgreSQL or MySQL/MariaDB. See docs/sql.md.
 */
export interface SqlSource {
  /**
   * Connection URL: sqlite:./data/shop.db (relative to the manifest), postgres://user@host:5432/db or
   * mysql://user@host:3306/db. Put credentials in ${VAR}: the reference is kept in the artifact and resolved at first
   * use, never logged.
   */
  database: string;
  /**
   * Enforced by the database (SQLite opened read-only, read-only transactions elsewhere). false lets tools with
   * readOnly: false write.
   */
  readOnly?: boolean;
  /**
   * Connection pool size (PostgreSQL, MySQL; SQLite uses one connection).
   */
  pool?: {
    min?: number;
    max?: number;
  };
  /**
   * Longer statements are cancelled (PostgreSQL statement_timeout, KILL QUERY on MySQL/MariaDB; SQLite: the statement
   * is stopped in its thread, see docs/sql.md).
   */
  statementTimeoutMs?: number;
  /**
   * SQLite only: where its statements run. thread (fast): a stopped statement ends at the next row SQLite returns, so
   * an aggregate or sort over a huge table finishes its step in the background first. process: a stopped statement is
   * killed at once, for a little more per call. See docs/sql.md.
   */
  isolation?: 'thread' | 'process';
  /**
   * SQLite only: a SQL file (relative to the manifest) that `mcp-gen build` runs to create the database file when it
   * does not exist.
   */
  seed?: string;
  scopes?: Scopes;
  /**
   * The build-time check of this source's statements: auto (when the database is reachable), required (unreachable is
   * an error), off. `--db` or MCPGEN_DB_CHECK=1 make every source required, MCPGEN_DB_CHECK=0 turns all off.
   */
  check?: 'auto' | 'required' | 'off';
  maxResultBytes?: MaxResultBytes;
}
/**
 * An upstream MCP server whose tools, resources, templates and prompts are mounted under a prefix. See
 * docs/mcp-upstream.md.
 */
export interface McpSource {
  /**
   * How to reach the upstream: `url:` (Streamable HTTP) or `command:` (stdio). ${VAR} references are kept and resolved
   * at start.
   */
  mcp: {
    [k: string]: unknown;
  } & {
    /**
     * Streamable HTTP endpoint of the upstream.
     */
    url?: string;
    /**
     * HTTP headers sent with every request (e.g. Authorization: "Bearer ${TOKEN}").
     */
    headers?: {
      [k: string]: string;
    };
    /**
     * The program that runs the upstream over stdio.
     */
    command?: string;
    /**
     * Its arguments.
     */
    args?: string[];
    /**
     * Environment variables for the upstream process (besides a safe default set: PATH, HOME, …).
     */
    env?: {
      [k: string]: string;
    };
    /**
     * Working directory of the upstream process, relative to the manifest (default: its folder).
     */
    cwd?: string;
  };
  /**
   * Put before every mounted tool, prompt and resource name; default `NAME_`. "" mounts them as they are.
   */
  prefix?: string;
  /**
   * Mount only the upstream tools, prompts, resources and templates whose name or URI matches one of these (`*` matches
   * anything).
   */
  include?: string[];
  /**
   * Leave out the upstream entries whose name or URI matches one of these.
   */
  exclude?: string[];
  /**
   * Per upstream entry (by its upstream name, URI or URI template): what to change when mounting it.
   */
  overrides?: {
    [k: string]: {
      /**
       * The mounted name (instead of prefix + upstream name).
       */
      name?: string;
      title?: string;
      description?: string;
      scopes?: Scopes;
      /**
       * Tools: asked through elicitation before the call goes upstream.
       */
      confirm?: string;
    };
  };
  /**
   * Longest wait for one upstream request (its progress notifications reset it).
   */
  timeoutMs?: number;
  scopes?: Scopes;
  /**
   * The build connects to record the upstream's lists: auto (unreachable: a warning, the last recorded lists are used),
   * required, off (use the recorded lists). MCPGEN_MCP_CHECK=1/0 overrides.
   */
  check?: 'auto' | 'required' | 'off';
  maxResultBytes?: MaxResultBytes;
}
export interface Tool {
  name?: Name;
  title?: string;
  /**
   * What the tool does, for the model.
   */
  description?: string;
  input?: JsonSchemaObject;
  /**
   * JSON Schema of structured results (outputSchema). SQL tools infer it from the database at build; set it to
   * override.
   */
  output?: {
    [k: string]: unknown;
  };
  annotations?: ToolAnnotations;
  /**
   * Declarative tools (template, content): return the result as a tool error (`isError: true`).
   */
  isError?: boolean;
  /**
   * Ask the user to confirm (through elicitation) before the tool runs; a decline returns a tool error and runs
   * nothing.
   */
  confirm?: string;
  icons?: Icon[];
  cache?: EntryCache;
  maxResultBytes?: MaxResultBytes;
  /**
   * A JMESPath expression (jmespath.org) that trims each result before the model sees it, e.g. "items[*].{id: id,
   * title: title}"; checked at build against the outputSchema, which becomes the projection's. See docs/openapi.md
   * (Projection).
   */
  select?: string;
  /**
   * With select: building an object, add a `fields` argument: the model may ask for only some of its keys.
   */
  fields?: boolean;
  /**
   * Example calls `mcp-gen test` makes and checks (arguments are checked against the input schema at build). See
   * docs/cli.md (mcp-gen test).
   */
  examples?: {
    /**
     * The arguments of the call.
     */
    arguments?: {
      [k: string]: unknown;
    };
    /**
     * The expected result: text is the result's text content (blocks joined by a newline), exactly; anything else its
     * structuredContent, exactly.
     */
    result?: {
      [k: string]: unknown;
    };
    /**
     * A regular expression the result's text content (else its structuredContent as JSON) must match.
     */
    matches?: string;
    /**
     * The call must end as a tool error (isError: true).
     */
    isError?: boolean;
  }[];
  /**
   * Backend: a Handlebars template rendered with the arguments; the text is the result.
   */
  template?: string;
  /**
   * Backend: fixed content returned on every call.
   *
   * @minItems 1
   */
  content?: [ContentItem, ...ContentItem[]];
  /**
   * Backend: a TypeScript or JavaScript module (path relative to the manifest) whose default export handles the call.
   */
  handler?: string;
  sandbox?: Sandbox;
  /**
   * Backend: `source.operationId` of an OpenAPI source; this entry overrides the generated tool (name, description,
   * title, annotations).
   */
  operation?: string;
  /**
   * With `operation:`: send the request body as this media type (one the operation accepts) instead of the preferred
   * one (JSON, then forms, then text, then bytes).
   */
  bodyMediaType?: string;
  /**
   * Backend: a SQL query on `source`; `:name` placeholders are bound to arguments, `:{name}` substitutes an identifier
   * from an enum. See docs/sql.md.
   */
  sql?: string;
  /**
   * Backend: like sql, read from a file (relative to the manifest).
   */
  sqlFile?: string;
  source?: Name;
  /**
   * SQL backends: the text rendering of the rows (structured content is always JSON).
   */
  format?: 'json' | 'markdown' | 'csv';
  /**
   * SQL backends: rows per result; more rows give a truncation notice and a cursor for the next page.
   */
  maxRows?: number;
  /**
   * SQL backends: JSON bytes of rows per result; cut like maxRows.
   */
  maxBytes?: number;
  /**
   * SQL backends: allow several `;`-separated statements, run in order in one transaction; the last one's rows are the
   * result.
   */
  multipleStatements?: boolean;
  /**
   * SQL tools: false lets the query write (in a transaction; annotated destructive). Default: the source's readOnly.
   */
  readOnly?: boolean;
  scopes?: Scopes;
  fromAuth?: FromAuthMap;
}
/**
 * A JSON Schema (2020-12) object schema. `type: object` is implied.
 */
export interface JsonSchemaObject {
  type?: 'object';
  properties?: {
    [k: string]:
      | {
          [k: string]: unknown;
        }
      | boolean;
  };
  required?: string[];
  [k: string]: unknown;
}
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}
export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}
/**
 * Keep results for ttl seconds and answer identical calls (same arguments; same caller with scope: principal) from the
 * cache. Tools only when read-only (annotations.readOnlyHint: true, or a kind that declares it: SQL reads, OpenAPI
 * GET/HEAD). Errors and isError results are never kept. See docs/caching.md.
 */
export interface EntryCache {
  /**
   * Seconds a result stays cached.
   */
  ttl?: number;
  /**
   * principal: each caller (principal) has its own entries; shared: every caller allowed to call the entry shares them.
   * Default: principal when auth: is set, shared otherwise.
   */
  scope?: 'shared' | 'principal';
}
export interface Resource {
  name: Name;
  title?: string;
  description?: string;
  /**
   * The resource's URI (a static resource).
   */
  uri?: string;
  /**
   * A URI template (a resource template): variables are {name} (one path segment) or {+name} (may contain /).
   */
  uriTemplate?: string;
  /**
   * Detected from the file extension when omitted.
   */
  mimeType?: string;
  icons?: Icon[];
  cache?: EntryCache;
  /**
   * Backend: a Handlebars template rendered with the URI template's variables.
   */
  template?: string;
  /**
   * Backend: fixed text.
   */
  text?: string;
  /**
   * Backend: a file (path relative to the manifest), read on every request.
   */
  file?: string;
  /**
   * Backend (templates): a folder; the template's variable names a file inside it.
   */
  directory?: string;
  /**
   * Backend: a SQL query on `source`; `:name` placeholders are bound to arguments, `:{name}` substitutes an identifier
   * from an enum. See docs/sql.md.
   */
  sql?: string;
  /**
   * Backend: like sql, read from a file (relative to the manifest).
   */
  sqlFile?: string;
  source?: Name;
  /**
   * SQL backends: the text rendering of the rows (structured content is always JSON).
   */
  format?: 'json' | 'markdown' | 'csv';
  /**
   * SQL backends: rows per result; more rows give a truncation notice and a cursor for the next page.
   */
  maxRows?: number;
  /**
   * SQL backends: JSON bytes of rows per result; cut like maxRows.
   */
  maxBytes?: number;
  /**
   * SQL backends: allow several `;`-separated statements, run in order in one transaction; the last one's rows are the
   * result.
   */
  multipleStatements?: boolean;
  /**
   * Completions for URI template variables, by variable name, from a query.
   */
  complete?: {
    [k: string]: SqlComplete;
  };
  scopes?: Scopes;
}
/**
 * A completion query.
 */
export interface SqlComplete {
  source?: Name;
  /**
   * SELECT whose first column lists the values; may use :prefix.
   */
  sql: string;
}
export interface Prompt {
  name: Name;
  title?: string;
  description: string;
  icons?: Icon[];
  arguments?: PromptArgument[];
  /**
   * Questions asked through the client before the prompt is rendered.
   *
   * @minItems 1
   */
  elicit?: [Elicitation, ...Elicitation[]];
  /**
   * @minItems 1
   */
  messages: [PromptMessage, ...PromptMessage[]];
  scopes?: Scopes;
}
export interface PromptArgument {
  name: Name;
  title?: string;
  description?: string;
  required?: boolean;
  /**
   * Allowed values; also offered as completions.
   *
   * @minItems 1
   */
  enum?: [string, ...string[]];
  complete?: SqlComplete;
}
/**
 * Ask the user for input (elicitation) before rendering: 2025 clients get an elicitation/create request, 2026-07-28
 * clients an input_required result.
 */
export interface Elicitation {
  key: Name;
  /**
   * What the user is asked.
   */
  message: string;
  /**
   * Flat JSON Schema properties of the form (string, number, integer, boolean, enum).
   */
  properties?: {
    [k: string]: {
      [k: string]: unknown;
    };
  };
  required?: string[];
}
export interface PromptMessage {
  role: 'user' | 'assistant';
  /**
   * A Handlebars template rendered with the prompt's arguments.
   */
  text?: string;
  content?: ContentItem;
}
/**
 * Named groups of tools, each served at its own path (transport.path + "/" + name, e.g. /mcp/issues) and by `mcp-gen
 * run --toolset NAME` on stdio; the root path still serves every tool. A tool belongs to a toolset when any of tools,
 * tags or sources selects it. See docs/openapi.md (Toolsets).
 */
export interface Toolsets {
  [k: string]: Toolset;
}
export interface Toolset {
  /**
   * What the toolset is for (docs and `mcp-gen list --toolset`).
   */
  description?: string;
  /**
   * Tool names or globs (`*` any run of characters, `?` one), e.g. `issues_*`: every tool whose name matches.
   *
   * @minItems 1
   */
  tools?: [string, ...string[]];
  /**
   * Tags: every tool its kind tags so (an OpenAPI operation's tags).
   *
   * @minItems 1
   */
  tags?: [string, ...string[]];
  /**
   * Source names: every tool a source generates or reads from.
   *
   * @minItems 1
   */
  sources?: [string, ...string[]];
  scopes?: Scopes;
  /**
   * The toolset's budget for its tool list (default server.tokenBudget): its `mode: auto` sources are served as their
   * three search/describe/call tools, restricted to its operations, when they would not fit.
   */
  tokenBudget?: number;
}

/** A tool entry (`tools:`). */
export type ToolEntry = Tool;
/** A resource or resource template entry (`resources:`). */
export type ResourceEntry = Resource;
/** A prompt entry (`prompts:`). */
export type PromptEntry = Prompt;
/** One `sources.NAME`. */
export type Source = NonNullable<Manifest['sources']>[string];
