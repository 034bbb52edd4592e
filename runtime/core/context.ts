import type { TraceParent } from './telemetry.js';
import type { LogLevel } from '../sdk.js';
import type { Cancellation } from './cancellation.js';

export type Era = 'modern' | 'legacy';
export type JsonRpcId = string | number;

/** State of one 2025-era session (an HTTP session, or the stdio process after `initialize`). */
export interface LegacyState {
  protocolVersion: string;
  clientCapabilities: Record<string, unknown>;
  clientInfo?: unknown;
  /** Set by logging/setLevel; undefined sends every level. */
  logLevel?: LogLevel;
  initialized: boolean;
  /** Set when the transport opens the session: receives changes of subscribed resources. */
  subscriber?: (uri: string) => void;
  /** With a shared state store (runtime/state): where changes of this state are written for other instances. */
  shared?: SharedSession;
}

/** The part of a 2025 session a shared state store keeps: the transport implements it (transports/shared-sessions.ts). */
export interface SharedSession {
  /** The session (un)subscribed to a resource. */
  subscribed(uri: string, on: boolean): Promise<void>;
  /** Its log level or initialized flag changed. */
  changed(): Promise<void>;
}

/** What a method handler knows about the request it serves. */
export interface RequestContext {
  readonly era: Era;
  readonly id: JsonRpcId;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly protocolVersion: string;
  readonly clientCapabilities: Record<string, unknown>;
  /** The level the client asked for, or undefined: modern requests without one get no log notifications. */
  readonly logLevel: LogLevel | undefined;
  /** Legacy: the session; modern: undefined (stateless). */
  readonly legacy: LegacyState | undefined;
  readonly signal: AbortSignal;
  /** What `signal` follows, without making it (hot paths subscribe with onAbort from cancellation.ts). */
  readonly cancellation: Cancellation | AbortSignal;
  /** Sends a notification related to this request (on its response stream, or the stdio channel). */
  notify(method: string, params: Record<string, unknown>): void;
  /** HTTP 2026-07-28 requests: reads a request header (sentinel-decoded; null when malformed). */
  readonly header?: (name: string) => string | null | undefined;
  /** 2025 HTTP sessions: ends the response stream early; the client resumes it (SEP-1699). */
  readonly closeStream?: () => void;
  /** 2025 sessions: sends a server-to-client request related to this request and waits for the answer. */
  readonly clientRequest?: (method: string, params: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>;
  /** Who is calling, as the transport authenticated them; undefined when the server has no `auth:` (trusted). */
  readonly principal?: Principal;
  /** HTTP: a header of the MCP request as the client sent it (lower-case name); undefined on stdio. */
  readonly requestHeader?: (name: string) => string | undefined;
  /** The request's span, when traced: the parent of the kinds' spans (ToolContext.trace, ReadContext.trace). */
  readonly trace?: TraceParent;
  /** The toolset whose endpoint the request came in on (`toolsets:`); undefined: the root, every tool. */
  readonly toolset?: string;
}

/** An authenticated caller: an API key's name, or a token's subject, with its scopes and (for tokens) claims. */
export interface Principal {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly claims: Readonly<Record<string, unknown>>;
  /** An OAuth token's holder can ask for one with more scopes; an API key's cannot (see core/unknown.ts). */
  readonly canStepUp?: boolean;
}

/** Where a request came from: the transport's view of it. */
export interface Channel {
  /** How the request arrived (the semantic conventions' network.transport: `pipe` for stdio, `tcp` for HTTP and WebSocket). */
  readonly transport?: 'stdio' | 'http' | 'websocket';
  /** The 2025 HTTP session's id (mcp.session.id); undefined elsewhere. */
  readonly sessionId?: string;
  /** The 2025-era session this request belongs to, if any. */
  readonly legacy?: LegacyState;
  /** HTTP only: headers the 2026 era requires to match the body. */
  readonly headers?: {
    readonly protocolVersion?: string;
    readonly method?: string;
    readonly name?: string;
    /** A header by lower-case name, sentinel-decoded; null when present but malformed. */
    param(name: string): string | null | undefined;
  };
  /** Sends one serialised notification related to the request. */
  notify(message: string): void;
  /** 2025 sessions: sends a request to the client (on the request's stream) and resolves with its result. */
  request?(method: string, params: Record<string, unknown>, signal: AbortSignal): Promise<unknown>;
  /** 2025 HTTP sessions: closes the request's stream; the client resumes it with Last-Event-ID. */
  closeStream?(): void;
  /** The caller, as the transport authenticated them (see RequestContext.principal). */
  readonly principal?: Principal;
  /** HTTP: a header of the request as sent (see RequestContext.requestHeader). */
  readonly requestHeader?: (name: string) => string | undefined;
  /** The toolset whose endpoint the request came in on; undefined: the root. */
  readonly toolset?: string;
}
