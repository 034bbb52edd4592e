import type { Channel, Era, JsonRpcId } from './context.js';
import type { RpcError } from './errors.js';

/**
 * What the core and the kinds report to: metrics, traces and the request's log fields. runtime/observe implements
 * it (prom-client, OpenTelemetry); it is handed in through CoreOptions, as security is, never imported by the core.
 * Absent, nothing is observed and nothing is paid per request.
 */
export interface Telemetry {
  /** A request reached the core. Called once per request, before anything else runs. */
  begin(request: ObservedRequest): RequestObservation;
  /** The instruments kinds use (per-source figures), made per served artifact through Services.telemetry. */
  readonly kinds: KindTelemetry;
  /** What the HTTP transport reports (sessions, SSE streams, refusals); stdio reports nothing. Absent: not reported. */
  readonly transport?: TransportTelemetry;
}

/** Why the HTTP transport refused a caller before the core saw the request (a fixed set: metric label values). */
export type AuthRejection =
  | 'missing_credentials'
  | 'invalid_credentials'
  | 'insufficient_scope'
  | 'host_not_allowed'
  | 'origin_not_allowed';

/** Transport-level events of the HTTP server (createHttpServer's `telemetry` option). Each call is cheap and never throws. */
export interface TransportTelemetry {
  /** A 2025 session was opened (after a successful initialize). */
  sessionOpened(): void;
  /** A 2025 session ended (DELETE, idle expiry, shutdown) after `seconds`; `protocolVersion` is the one it negotiated. */
  sessionEnded(seconds: number, protocolVersion: string): void;
  /** A new 2025 session was refused: the caller's quota (`transport.maxSessionsPerPrincipal`) or the whole table was full. */
  sessionRefused(reason: 'quota' | 'full'): void;
  /** An SSE stream was opened (a GET stream, or a POST answer that became a stream); `streamClosed` when it closes. */
  streamOpened(): void;
  streamClosed(): void;
  /** A 401 or 403 before (or instead of) the core's answer. */
  authRejected(reason: AuthRejection): void;
}

/** What the core knows of a request when it begins. Every label derived from it must come from a bounded set. */
export interface ObservedRequest {
  readonly id: JsonRpcId;
  /** The JSON-RPC method as sent: the implementation maps unknown methods to one fixed label. */
  readonly method: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly era: Era;
  readonly channel: Channel;
  /**
   * The tool or prompt name when the artifact declares it (tools/call, prompts/get), else undefined: a name from
   * the request that the artifact does not know never becomes a label value.
   */
  readonly target: string | undefined;
}

declare const traceParentBrand: unique symbol;
/**
 * A trace context (the request's span, or a kind's span), opaque to the core and kinds: they hand it on to the
 * spans they open, so those become its children. Passed explicitly rather than kept in an AsyncLocalStorage: on
 * Node 20, one enabled AsyncLocalStorage puts a hook on every promise of the process (2-3 µs per request measured
 * in test/bench/core-request.mjs, whether or not the request is sampled).
 */
export type TraceParent = { readonly [traceParentBrand]: true };

/** One request being observed: the core hands `parent` to the kinds' work and calls `end` once. */
export interface RequestObservation {
  /** The W3C trace id of the request's span, when traced (logs carry it). */
  readonly traceId?: string;
  /** The request's span, the parent of what the kinds trace; absent when nothing traces. */
  readonly parent?: TraceParent;
  /**
   * The request ended. `error`: the JSON-RPC error it was answered with; `toolError`: a tools/call result with
   * `isError: true` (the semantic conventions' error.type is then `tool_error`).
   */
  end(outcome: RequestOutcome): void;
}

/** How a request ended, as `RequestObservation.end` is told. */
export interface RequestOutcome {
  readonly error?: RpcError;
  readonly toolError?: boolean;
  readonly protocolVersion?: string;
  /** A per-tool rate or concurrency limit refused the call (its answer is a tool error: `toolError` is set too). */
  readonly limited?: boolean;
  /** The call went through the result cache (`cache:`): its entry (an artifact name) and whether it was a hit. */
  readonly cache?: { readonly entry: string; readonly hit: boolean };
}

/** Attribute values of spans: what OpenTelemetry accepts. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

/** A span a kind opened around one unit of its work. */
export interface KindSpan {
  setAttributes(attributes: SpanAttributes): void;
  /** Records a failure (error.type) without ending the span; `span()` ends it. */
  fail(errorType: string, message?: string): void;
  /** This span as the parent of spans opened inside it; undefined when nothing traces. */
  readonly context: TraceParent | undefined;
  /** Adds this span's trace context (`traceparent`, `tracestate`) to the headers of an outgoing request. */
  inject(headers: Record<string, string>): void;
}

export interface MetricDefinition<L extends string> {
  /** Prometheus name; mcp-gen's own are prefixed `mcpgen_`. */
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
}

export type Labels<L extends string> = Readonly<Record<L, string | number>>;

/**
 * Instruments for kinds: every label value must come from the artifact (source names) or a fixed set (status
 * classes). The same definition asked twice (another served artifact after a swap) returns the same metric.
 */
export interface KindTelemetry {
  histogram<L extends string>(
    definition: MetricDefinition<L> & { readonly buckets?: readonly number[] }
  ): (labels: Labels<L>, seconds: number) => void;
  counter<L extends string>(definition: MetricDefinition<L>): (labels: Labels<L>, increment?: number) => void;
  /**
   * A gauge read at scrape time: `read` returns the current values. Returns the function that stops reading it
   * (a disposed source calls it).
   */
  gauge<L extends string>(definition: MetricDefinition<L>, read: () => Iterable<readonly [Labels<L>, number]>): () => void;
  /**
   * Runs `work` in a CLIENT/INTERNAL span, a child of `parent` (the request's: ToolContext.trace, ReadContext.trace;
   * or an enclosing span's context); without tracing, just runs it.
   */
  span<T>(
    parent: TraceParent | undefined,
    name: string,
    attributes: SpanAttributes,
    work: (span: KindSpan) => Promise<T>,
    kind?: 'client' | 'internal'
  ): Promise<T>;
}

/** The span of work nothing traces. */
export const noSpan: KindSpan = { setAttributes: () => {}, fail: () => {}, context: undefined, inject: () => {} };
const noObservation: RequestObservation = { end: () => {} };

/** Nothing observed: what the core and kinds use when no Telemetry was handed in (tests, embedders). */
export const noTelemetry: Telemetry = {
  begin: () => noObservation,
  kinds: {
    histogram: () => () => {},
    counter: () => () => {},
    gauge: () => () => {},
    span: (_parent, _name, _attributes, work) => work(noSpan)
  }
};
