import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TransportLimits } from '../artifact/ir.js';
import type { JsonRpcId, Principal } from '../core/context.js';
import { RpcError } from '../core/errors.js';
import type { McpCore } from '../core/server.js';
import type { TransportTelemetry } from '../core/telemetry.js';
import type { BodyBudget } from './body.js';
import type { AccessLog, RefusalWarnings } from './http-access.js';
import type { LegacySseEndpoint } from './legacy-sse.js';
import type { Drain } from './drain.js';
import type { createGuard } from './guard.js';
import type { LegacySession, SessionStore } from './sessions.js';
import type { SharedSessions } from './shared-sessions.js';
import { UNAVAILABLE } from './shared-sessions.js';
import { writable } from './sse.js';

/** Options of `createHttpServer` (see HttpOptions in http.ts) that the request handlers read. */
export interface HttpSettings {
  readonly path: string;
  readonly maxBodyBytes: number;
  readonly trustProxy?: boolean;
}

/**
 * Operational endpoints (/healthz, /readyz, /metrics: runtime/observe/health.ts), served before the Host allow-list
 * and authentication. `handle` answers and returns true when `path` is one of them.
 */
export interface OpsRoutes {
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

/** Everything one HTTP server's request handlers share: made once per server, passed to each handler. */
export interface HttpContext {
  readonly core: McpCore;
  readonly options: HttpSettings;
  readonly limits: TransportLimits;
  readonly guard: ReturnType<typeof createGuard>;
  readonly bodies: BodyBudget;
  readonly sessions: SessionStore;
  /** 2025 sessions in a shared state store (`state.store: redis://`); undefined: `sessions` is the whole truth. */
  readonly shared: SharedSessions | undefined;
  /** transport.maxSessionsPerPrincipal (with a shared store, counted there). */
  readonly maxPerQuota: number;
  readonly drain: Drain;
  /** The access line of each request (when info lines are logged). */
  readonly access: AccessLog;
  /** Warnings for requests refused by the Host/Origin guard. */
  readonly refusals: RefusalWarnings;
  readonly ops: OpsRoutes | undefined;
  readonly telemetry: TransportTelemetry;
  /** The deprecated HTTP+SSE transport (`transport.legacySse`), when it is on. */
  legacySse?: LegacySseEndpoint;
}

/** Counts `res` as an open SSE stream until it closes. */
export function countStream(http: HttpContext, res: ServerResponse): void {
  http.telemetry.streamOpened();
  res.once('close', http.telemetry.streamClosed);
}

export const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** Answers with a JSON-RPC error and an HTTP status. */
export function fail(
  http: HttpContext,
  res: ServerResponse,
  status: number,
  error: RpcError,
  extra?: Record<string, string>,
  id: JsonRpcId | null = null
): void {
  res.writeHead(status, extra ? { ...JSON_TYPE, ...extra } : JSON_TYPE).end(http.core.envelope.error(id, error));
}

export function methodNotAllowed(http: HttpContext, res: ServerResponse, allow: string, detail = ''): void {
  fail(http, res, 405, new RpcError('invalidRequest', `Method not allowed${detail}`), { allow });
}

export function sessionNotFound(http: HttpContext, res: ServerResponse, hint = ''): void {
  fail(http, res, 404, new RpcError('invalidRequest', `Session not found${hint}`));
}

export function tooManyStreams(http: HttpContext, res: ServerResponse, id: JsonRpcId | null): void {
  const max = http.limits.maxStreamsPerSession;
  const message =
    `Too many streams: this session already has ${max} open (transport.limits.maxStreamsPerSession); ` + 'retry when one has finished';
  fail(http, res, 429, new RpcError('tooManyStreams', message, { limit: max }), { 'retry-after': '1' }, id);
}

/** The HTTP layer cannot die from one request: whatever a handler throws or rejects with is answered 500 and logged. */
export function internalError(http: HttpContext, res: ServerResponse, e: unknown): void {
  if (!(e instanceof RpcError)) http.core.log.error(`HTTP request failed: ${(e as Error)?.stack ?? String(e)}`);
  if (!res.headersSent) fail(http, res, 500, e instanceof RpcError ? e : new RpcError('internalError', 'Internal error'));
  else if (writable(res)) res.end();
}

/** 2025 sessions belong to the caller who opened them: another caller's requests find no such session. */
export const ownerOf = (principal: Principal | undefined): string => principal?.name ?? '';

export function ownedSession(http: HttpContext, id: string, principal: Principal | undefined): LegacySession | undefined {
  const session = http.sessions.get(id);
  return session?.owner === ownerOf(principal) ? session : undefined;
}

/**
 * The caller's session from the shared store (one round trip). While the store cannot be asked, this instance's copy
 * serves (the session goes on where it is); without one the session is unknown here: 404, the client starts again.
 */
export async function sharedSession(
  http: HttpContext,
  shared: SharedSessions,
  id: string,
  principal: Principal | undefined
): Promise<LegacySession | undefined> {
  const found = await shared.find(id);
  const session = found === UNAVAILABLE ? http.sessions.get(id) : found;
  return session?.owner === ownerOf(principal) ? session : undefined;
}
