import type { LogLevel } from '../sdk.js';

/**
 * Where the state a later request may need lives: `state.store` (memory: this process; redis://: shared by every
 * instance behind a load balancer). One instance per server (made by openStateStore, runtime/state/index.ts), handed
 * to the core (requestState key, readiness) and the HTTP transport (2025 sessions, resumable streams, fan-out).
 *
 * With `shared` false (memory) the transport's own session table is the whole truth and it never calls the store on
 * a request's path: the memory default costs nothing. The memory implementation still implements every method, so
 * the same suite tests both and in-process tests can run two transports over one store.
 */
export interface StateStore {
  /** Whether other instances see what this one writes (redis); false: the transport keeps sessions itself. */
  readonly shared: boolean;
  /** This instance, unique among those sharing the store (no '.' or ':', it ends up in SSE event ids and channels). */
  readonly instance: string;
  /** A shared store's resolved URL (in memory only, never logged): `limits.store` defaults to it. */
  readonly url?: string;
  /** The store for readiness probes (`/readyz`), by a name without credentials; undefined for memory. */
  readonly dependency?: { readonly name: string; ready(): Promise<void> };

  /** The key that signs 2026-07-28 requestState: the same on every instance of a shared store (see RequestStateCodec). */
  signingKey(): Buffer;

  /** Keeps a new session if its quota (`record.quota`) holds fewer than `maxPerQuota` live sessions. */
  createSession(id: string, record: SessionRecord, maxPerQuota: number, ttlMs: number): Promise<'ok' | 'quota'>;
  /** The session and a refreshed expiry (of it and its quota slot); undefined when unknown or expired. */
  session(id: string, ttlMs: number): Promise<SessionRecord | undefined>;
  /** Rewrites a session's protocol state (log level, initialized, subscriptions); nothing if it has ended. */
  updateSession(id: string, record: SessionRecord, ttlMs: number): Promise<void>;
  /** Ends a session: its record, quota slot and subscriptions; the instance holding its GET stream is told. */
  deleteSession(id: string, record: Pick<SessionRecord, 'quota' | 'subscriptions'>): Promise<void>;
  /** Live sessions counted against `quota`. */
  quotaHeld(quota: string): Promise<number>;

  /**
   * Appends an event to a session stream's log (at most MAX_EVENTS kept, expiring with `ttlMs`) and publishes it on
   * the session's channel. `seq` given: the writer numbers its own stream; absent: the store numbers it.
   */
  append(session: string, stream: string, data: string, ttlMs: number, seq?: number, final?: boolean): Promise<number>;
  /** The events of a stream after `after`, and whether it has ended; undefined when the stream is unknown. */
  events(session: string, stream: string, after: number): Promise<StoredStream | undefined>;

  /** Records that `session` subscribed to `uri` (unsubscribe: `on` false). */
  subscribe(uri: string, session: string, on: boolean): Promise<void>;
  /** URIs some session subscribed to: what an instance should watch. */
  subscribedUris(): Promise<string[]>;
  /** Appends `data` to the standalone stream of every session subscribed to `uri` (every session when uri is undefined). */
  fanOut(uri: string | undefined, data: string, ttlMs: number): Promise<void>;

  /** Publishes on a channel: `bus` (every instance), `in:<instance>`, `s:<session>` (its stream holder). */
  publish(channel: string, message: Bus): Promise<void>;
  /** Receives a channel's messages until the returned function is called; resolves once subscribed. */
  listen(channel: string, handler: (message: Bus) => void): Promise<() => void>;

  close(): Promise<void>;
}

/** What the store keeps of a 2025 session: small, whatever the number of tools. */
export interface SessionRecord {
  /** Who may use it ('' without auth:); anyone else finds no such session. */
  readonly owner: string;
  /** Whose quota it counts against. */
  readonly quota: string;
  readonly protocolVersion: string;
  readonly clientCapabilities: Record<string, unknown>;
  readonly clientInfo?: unknown;
  readonly logLevel?: LogLevel;
  readonly initialized: boolean;
  readonly subscriptions: readonly string[];
  readonly openedAt: number;
}

export interface StoredEvent {
  readonly seq: number;
  readonly data: string;
}

export interface StoredStream {
  readonly events: readonly StoredEvent[];
  readonly done: boolean;
}

/** Messages between instances. */
export type Bus =
  /** An event of a session's stream (on `s:<session>`). */
  | { readonly t: 'ev'; readonly stream: string; readonly seq: number; readonly data: string; readonly final?: boolean }
  /** The session ended (on `s:<session>`): its holder closes the GET stream. */
  | { readonly t: 'end' }
  /** A client's response to a server-to-client request sent by the instance (on `in:<instance>`). */
  | { readonly t: 'resp'; readonly session: string; readonly message: unknown }
  /** notifications/cancelled for a request of the session, wherever it runs (on `bus`). */
  | { readonly t: 'cancel'; readonly session: string; readonly id: string | number }
  /** Some session subscribed to `uri`: every instance watches it (on `bus`). */
  | { readonly t: 'watch'; readonly uri: string };

/** Most events kept per stream: bounds memory when a client never comes back. */
export const MAX_EVENTS = 200;

/** The stream id of a session's standalone GET stream (every instance can name it). */
export const STANDALONE = 'g';
