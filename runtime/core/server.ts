import type { LoadedArtifact } from '../artifact/load.js';
import { createLogger, type Logger } from '../log.js';
import { META } from '../sdk.js';
import { prepareCatalog } from './catalog.js';
import type { OpenedResources } from './sources.js';
import type { Channel, Era, JsonRpcId, LegacyState } from './context.js';
import type { Cancellation } from './cancellation.js';
import { Envelope, type Body } from './envelope.js';
import { RpcError, isRpcError } from './errors.js';
import { notedCache, notedOutcome, type CacheNote } from './outcome.js';
import { compose, type Call, type Middleware } from './pipeline.js';
import { RequestStateCodec } from './request-state.js';
import { legacyContext, modernContext } from './request-context.js';
import { Subscriptions } from './subscriptions.js';
import type { CoreServices, MethodHandler } from './services.js';
import { complete } from './methods/completion.js';
import { discover, initialize, ping, setLevel } from './methods/lifecycle.js';
import { listPrompts, listResourceTemplates, listResources, listTools } from './methods/lists.js';
import { getPrompt } from './methods/prompts.js';
import { readResource } from './methods/resources.js';
import { listen, subscribe, unsubscribe, watchedPath } from './methods/subscriptions.js';
import { ListListeners, listChangedMethod, type ListName } from './listeners.js';
import { callTool } from './methods/tools.js';
import { NotReadyError, probeAll } from './readiness.js';
import type { RequestObservation, Telemetry, TraceParent } from './telemetry.js';
import type { StateStore } from '../state/store.js';
import type { ArtifactSecurity, Authentication, CoreSecurity } from './security.js';
import { toolViews, unfiltered } from './toolsets.js';
import { ResultCaches } from '../cache/index.js';
import type { ResultCache } from '../cache/result-cache.js';

/** Methods per era. 2026-07-28 removed ping, logging/setLevel and the subscribe RPCs. */
const shared: Record<string, MethodHandler> = {
  'tools/list': listTools,
  'tools/call': callTool,
  'resources/list': listResources,
  'resources/templates/list': listResourceTemplates,
  'resources/read': readResource,
  'prompts/list': listPrompts,
  'prompts/get': getPrompt,
  'completion/complete': complete
};
const methods: Record<Era, Record<string, MethodHandler>> = {
  modern: { ...shared, 'server/discover': discover, 'subscriptions/listen': listen },
  legacy: {
    ...shared,
    ping,
    'logging/setLevel': setLevel,
    'server/discover': discover,
    'resources/subscribe': subscribe,
    'resources/unsubscribe': unsubscribe
  }
};

export interface Reply {
  /** The serialised response; list pages are bytes encoded once (see PageBody). */
  readonly body: Body;
  /** HTTP status the transport should use. */
  readonly status: number;
  /** Set when this request was a successful `initialize`: the transport keeps it as the session. */
  readonly session?: LegacyState;
  /** Set when the caller lacks scopes: HTTP answers 403 with an `insufficient_scope` challenge naming them. */
  readonly insufficientScope?: readonly string[];
  /** HTTP headers of the answer (Retry-After of a rate-limited call). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The W3C trace id of the request's span, when its telemetry traced it (the transport's access line carries it). */
  readonly traceId?: string;
}

export interface CoreOptions {
  readonly log?: Logger;
  /** After the security set-up's middleware (authorization, rate limits). */
  readonly middleware?: readonly Middleware[];
  /** Lists may change while serving (mcp-gen dev): declare listChanged and notify on swap. */
  readonly listChanged?: boolean;
  /**
   * The artifact's `auth:`, `scopes:`, `limits:` and `audit:` (runtime/security's createSecurity; createCore in
   * runtime/serve.ts passes it). Absent: every caller is trusted, nothing is limited or audited.
   */
  readonly security?: CoreSecurity;
  /** Metrics, traces and per-request log fields (runtime/observe); absent: nothing observed, nothing paid. */
  readonly telemetry?: Telemetry;
  /** Where `${VAR}` references of `cache.store` are resolved (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * `state.store` (runtime/state): signs requestState with its key (shared by every instance of a Redis store) and is
   * a readiness dependency. Absent: a per-process key (or MCPGEN_STATE_KEY) and nothing to probe.
   */
  readonly state?: StateStore;
}

/**
 * The protocol core: one instance per process, shared by every transport, connection and session.
 * It parses nothing and writes nothing: transports hand it a decoded request and send the reply.
 */
export class McpCore {
  /** Serialises responses; replaced with the artifact on swap (server info may change). */
  envelope!: Envelope;
  private services!: CoreServices;
  private readonly subscriptions = new Subscriptions();
  private readonly listListeners = new ListListeners();
  private readonly sessionListeners = new WeakMap<LegacyState, () => void>();
  private endShutdown!: () => void;
  private readonly closing = new Promise<void>((resolve) => (this.endShutdown = resolve));

  /** The result caches (`cache:`): one per served artifact, the Redis connection kept across swaps. */
  private readonly caches: ResultCaches;

  private constructor(private readonly options: CoreOptions) {
    this.caches = new ResultCaches(options.env, options.state?.url);
    const state = options.state;
    this.requestState = state ? new RequestStateCodec(() => state.signingKey()) : new RequestStateCodec();
  }

  static async create(loaded: LoadedArtifact, options: CoreOptions = {}): Promise<McpCore> {
    const core = new McpCore(options);
    core.services = await core.prepare(loaded);
    core.envelope = new Envelope(core.services.serverInfo);
    return core;
  }

  /** Everything derived from one artifact; a swap replaces it whole while requests in flight keep theirs. */
  private async prepare(loaded: LoadedArtifact): Promise<CoreServices> {
    const log = this.options.log ?? createLogger(loaded.artifact.transport.logLevel);
    const { server } = loaded.artifact;
    const serverInfo = { name: server.name, version: server.version, ...(server.title ? { title: server.title } : {}) };
    // A source may change its lists while serving (an upstream's list_changed): clients are told as on a swap.
    const catalog = await prepareCatalog(loaded, log, (list) => this.listListeners.emit(list), this.options.telemetry?.kinds);
    const listChanged = this.options.listChanged === true || catalog.changesLists;
    const lc = listChanged ? { listChanged: true } : {};
    const capabilities = { tools: { ...lc }, resources: { subscribe: true, ...lc }, prompts: { ...lc }, completions: {}, logging: {} };
    let security: ArtifactSecurity;
    let cache: ResultCache | undefined;
    try {
      security = (await this.options.security?.forArtifact(loaded, catalog, log)) ?? { middleware: [] };
      cache = await this.caches.forArtifact(loaded, log);
    } catch (e) {
      await catalog.opened.dispose();
      throw e;
    }
    return {
      artifact: loaded.artifact,
      catalog,
      lists: loaded.lists,
      capabilities,
      legacyCapabilities: capabilities,
      root: loaded.root,
      subscriptions: this.subscriptions,
      listChanged,
      listListeners: this.listListeners,
      closing: this.closing,
      serverInfo,
      log,
      pipeline: tracked(compose([...security.middleware, ...(this.options.middleware ?? [])]), catalog.opened),
      audit: security.audit,
      auth: security.auth,
      views: toolViews(
        loaded.artifact,
        catalog,
        loaded.lists,
        security.lists ?? unfiltered(loaded.artifact, loaded.lists),
        security.listsOf?.bind(security) ?? unfiltered
      ),
      securityDependencies: security.dependencies?.bind(security),
      cache,
      requestState: this.requestState
    };
  }

  private readonly requestState: RequestStateCodec;
  /** Artifacts replaced by a swap whose sources are not yet disposed of. */
  private readonly retiring = new Set<OpenedResources>();

  /** `auth:` of the served artifact; transports authenticate callers with it. Undefined: every caller is trusted. */
  get auth(): Authentication | undefined {
    return this.services.auth;
  }

  /**
   * Readiness of what the served artifact depends on: its sources (each that can tell) and the security set-up's
   * shared stores (a Redis rate-limit store), probed at once, each bounded by `timeoutMs` (default 2 s). Rejects
   * with a NotReadyError naming every dependency that did not answer (never a credential).
   */
  async ready(timeoutMs?: number): Promise<void> {
    const { catalog, securityDependencies } = this.services;
    const state = this.options.state?.dependency;
    const probes = new Map([
      ...catalog.opened.probes(),
      ...(securityDependencies?.() ?? []),
      ...this.caches.dependencies(),
      ...(state ? [[state.name, () => state.ready()] as const] : [])
    ]);
    const failures = await probeAll(probes, timeoutMs);
    if (failures.length > 0) throw new NotReadyError(failures);
  }

  get serverName(): string {
    return String(this.services.serverInfo.name);
  }

  /** Whether the served artifact has this toolset (`toolsets:`): transports serve it at its own endpoint. */
  hasToolset(name: string): boolean {
    return name !== '' && !name.includes('\0') && this.services.views.has(name);
  }

  get log(): Logger {
    return this.services.log;
  }

  /**
   * Replaces the served artifact in place (mcp-gen dev). Connections and sessions stay; clients are told
   * which lists changed.
   */
  async swap(loaded: LoadedArtifact): Promise<ListName[]> {
    const next = await this.prepare(loaded);
    const { lists: before, catalog: old } = this.services;
    this.services = next;
    this.envelope = new Envelope(next.serverInfo);
    // The old artifact's sources close once the calls still running on it are done.
    this.retiring.add(old.opened);
    void old.opened.retire().finally(() => this.retiring.delete(old.opened));
    const changed: ListName[] = [];
    if (before.tools.join() !== next.lists.tools.join()) changed.push('tools');
    if (before.prompts.join() !== next.lists.prompts.join()) changed.push('prompts');
    if (before.resources.join() !== next.lists.resources.join() || before.resourceTemplates.join() !== next.lists.resourceTemplates.join())
      changed.push('resources');
    for (const list of changed) this.listListeners.emit(list);
    return changed;
  }

  /** Tells `listener` which list changed (a shared state store fans it out to every instance's sessions). */
  onListChanged(listener: (list: ListName) => void): () => void {
    return this.listListeners.add(listener);
  }

  /** Whether list changes are declared and notified (mcp-gen dev, or a source whose lists change). */
  get listsChange(): boolean {
    return this.services.listChanged;
  }

  /**
   * Watches `uri` (if a file backs it) for `subscriber`, whoever subscribed: another instance's session, through a
   * shared state store. False when the URI is unknown.
   */
  async watch(uri: string, subscriber: (uri: string) => void): Promise<boolean> {
    const path = await watchedPath(this.services, uri, undefined, true);
    if (path === false) return false;
    this.subscriptions.subscribe(uri, path, subscriber);
    return true;
  }

  /** A 2025 session started: it gets resource updates and list changes through `push`. */
  openSession(state: LegacyState, push: (message: string) => void): void {
    state.subscriber = (uri) => push(this.envelope.notification('notifications/resources/updated', { uri }));
    if (this.services.listChanged) {
      this.sessionListeners.set(
        state,
        this.listListeners.add((list) => push(this.envelope.notification(listChangedMethod[list], {})))
      );
    }
  }

  /** A 2025 session ended: drop its subscriptions. */
  endSession(state: LegacyState): void {
    if (state.subscriber) this.subscriptions.forget(state.subscriber);
    this.sessionListeners.get(state)?.();
  }

  /**
   * A shutdown has begun: long-lived streams (subscriptions/listen) end and file watchers stop, so draining the
   * transports waits only for real work.
   */
  endStreams(): void {
    this.endShutdown();
    this.subscriptions.close();
  }

  /**
   * After the transports have drained: ends streams, disposes of what the served artifacts opened (database
   * pools, SQLite threads, HTTP agents, handler sandboxes), then closes the security set-up (its rate-limit
   * store; the audit log last, flushed and fsynced).
   */
  async close(): Promise<void> {
    this.endStreams();
    await Promise.all([this.services.catalog.opened, ...this.retiring].map((opened) => opened.dispose()));
    await this.caches.close().catch((e: Error) => this.log.warn(`closing the cache store failed: ${e.message}`));
    await this.options.security?.close(this.log);
  }

  /** `signal`: an AbortSignal, or a Cancellation (which makes its signal only if something needs one). */
  request(id: JsonRpcId, method: string, rawParams: unknown, channel: Channel, signal: AbortSignal | Cancellation): Promise<Reply> {
    const params = (rawParams && typeof rawParams === 'object' ? rawParams : {}) as Record<string, unknown>;
    // A `_meta` that is not an object is ignored here (the modern context then reports it missing).
    const meta = params._meta && typeof params._meta === 'object' ? (params._meta as Record<string, unknown>) : undefined;
    const modern = meta !== undefined && META.protocolVersion in meta;
    const era: Era = channel.legacy && !modern ? 'legacy' : 'modern';
    const telemetry = this.options.telemetry;
    if (!telemetry) return this.serve({ id, method, params, meta, modern, era, channel, signal }, undefined);
    const observation = telemetry.begin({ id, method, params, era, channel, target: this.declaredTarget(method, params) });
    const request: Served = {
      id,
      method,
      params,
      meta,
      modern,
      era,
      channel,
      signal,
      traceId: observation.traceId,
      trace: observation.parent
    };
    return this.observed(observation, request);
  }

  /** An async function, not `.finally()`: that costs three promises and four closures per request (the metrics bench). */
  private async observed(observation: RequestObservation, request: Served): Promise<Reply> {
    const outcome: Outcome = {};
    try {
      const reply = await this.serve(request, outcome);
      // The access line (HTTP) names the request's trace. `serve` made the reply for this request alone: it is
      // written into rather than copied (a spread of it was a tenth of a traced request's CPU in core-request.mjs).
      if (request.traceId !== undefined) (reply as { traceId?: string }).traceId = request.traceId;
      return reply;
    } finally {
      observation.end(outcome);
    }
  }

  /** The tool or prompt a request names, only when the artifact declares it (a label value must come from the artifact). */
  private declaredTarget(method: string, params: Record<string, unknown>): string | undefined {
    const name = params.name;
    if (typeof name !== 'string') return undefined;
    if (method === 'tools/call') return this.services.catalog.tools.has(name) ? name : undefined;
    if (method === 'prompts/get') return this.services.catalog.prompts.has(name) ? name : undefined;
    return undefined;
  }

  private async serve(request: Served, outcome: Outcome | undefined): Promise<Reply> {
    const { id, method, params, meta, modern, era, channel, signal, trace } = request;
    // Audit wraps the whole request: unknown, invalid, denied and limited calls get their line too.
    const audit = this.services.audit?.begin(method, id, params, era, channel.principal);
    try {
      if (method === 'initialize' && !modern) {
        const { state, value } = initialize(params, this.services);
        if (outcome) outcome.protocolVersion = state.protocolVersion;
        return { body: this.envelope.result(id, { value }, 'legacy'), status: 200, session: state };
      }
      const ctx =
        era === 'modern'
          ? modernContext(this.envelope, id, method, params, meta, channel, signal, trace)
          : legacyContext(this.envelope, id, method, params, channel, signal, trace);
      if (outcome) outcome.protocolVersion = ctx.protocolVersion;
      audit?.context(ctx);
      // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
      const handler = Object.hasOwn(methods[era], method) ? methods[era][method] : undefined;
      if (!handler) throw new RpcError('methodNotFound', `Method not found: ${method}`);
      const result = await handler(this.services, ctx);
      const body = this.envelope.result(id, result, era);
      if (outcome && 'value' in result) {
        outcome.toolError = (result.value as { isError?: unknown }).isError === true;
        if (outcome.toolError && notedOutcome(ctx) === 'limited') outcome.limited = true;
        const cached = notedCache(ctx);
        if (cached) outcome.cache = cached;
      }
      audit?.done('value' in result ? result.value : {}, body);
      return { body, status: 200 };
    } catch (e) {
      const error = isRpcError(e) ? e : this.internal(request, e);
      if (outcome) outcome.error = error;
      audit?.failed(error, this.envelope.error(id, error));
      if (error.name === 'insufficientScope') {
        const required = (error.data as { requiredScopes: string[] }).requiredScopes;
        return { body: this.envelope.error(id, error), status: 403, insufficientScope: required };
      }
      // 2025 sessions answer JSON-RPC errors with HTTP 200, as SDK clients expect; only 2026-07-28 maps codes to statuses.
      // An error with HTTP headers (429 Retry-After) is about the transport, and keeps its status in both eras.
      if (error.headers) return { body: this.envelope.error(id, error), status: error.httpStatus, headers: error.headers };
      return { body: this.envelope.error(id, error), status: era === 'legacy' ? 200 : error.httpStatus };
    }
  }

  /** A bug: logged with the request's ids, so the operator finds the access line and the trace of the failed call. */
  private internal(request: Served, e: unknown): RpcError {
    const { id, method, channel, traceId } = request;
    this.log.error(`${method} failed: ${(e as Error)?.stack ?? String(e)}`, {
      // An id is the client's: a string id of megabytes must not become a log line of megabytes.
      request_id: typeof id === 'string' && id.length > 200 ? `${id.slice(0, 200)}…` : id,
      ...(channel.sessionId !== undefined ? { session_id: channel.sessionId } : {}),
      ...(traceId !== undefined ? { trace_id: traceId } : {})
    });
    return new RpcError('internalError', `Internal error while handling ${method}`);
  }
}

/** One request as `request` decoded it, handed to `serve`. */
interface Served {
  readonly id: JsonRpcId;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly meta: Record<string, unknown> | undefined;
  readonly modern: boolean;
  readonly era: Era;
  readonly channel: Channel;
  readonly signal: AbortSignal | Cancellation;
  /** The request's trace id and span, when its telemetry traced it. */
  readonly traceId?: string | undefined;
  readonly trace?: TraceParent | undefined;
}

/** How a request ended, for its telemetry (filled in by `serve`). */
interface Outcome {
  error?: RpcError;
  toolError?: boolean;
  protocolVersion?: string;
  limited?: boolean;
  cache?: CacheNote;
}

type Pipeline = <T>(call: Call, run: () => Promise<T>) => Promise<T>;

/** The pipeline, counting the calls running on one artifact's resources (see OpenedResources.retire). */
function tracked(pipeline: Pipeline, opened: OpenedResources): Pipeline {
  return (call, run) => opened.track(pipeline, call, run);
}
