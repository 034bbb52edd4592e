import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { JsonRpcId, LegacyState } from '../core/context.js';
import { OutgoingRequests } from './outgoing.js';
import { sseEvent, writable } from './sse.js';
import type { SessionRecord } from '../state/store.js';

/** Copies an event of a session's stream to a shared store, so another instance can resume the stream. */
export type StreamMirror = (session: LegacySession, streamId: string, seq: number, data: string, final: boolean) => void;

/** Events of one SSE stream, kept so a client can resume it with Last-Event-ID. */
interface StreamLog {
  events: { seq: number; data: string }[];
  sink: ServerResponse | undefined;
  done: boolean;
}

/** Most events kept per unfinished stream: bounds memory when a client never comes back. */
const MAX_EVENTS_PER_STREAM = 200;

/**
 * One 2025-era session: protocol state, in-flight requests (for cancellation) and resumable streams.
 * Kept small: an idle session holds a few fields and empty maps, whatever the number of tools.
 */
export class LegacySession {
  readonly openedAt = Date.now();
  lastUsed = this.openedAt;
  standalone: ServerResponse | undefined;
  readonly inflight = new Map<JsonRpcId, { abort(): void }>();
  readonly outgoing: OutgoingRequests;
  /** With a shared state store: its latest record, and where stream events are copied (see shared-sessions.ts). */
  record: SessionRecord | undefined;
  mirror: StreamMirror | undefined;
  private streams: Map<string, StreamLog> | undefined;
  private streamCount = 0;
  /** HTTP responses of this session still open (requests in flight, GET streams): bounded per session. */
  openStreams = 0;

  constructor(
    readonly state: LegacyState,
    /** Who may use it: the principal's name ('' without auth:); anyone else finds no such session. */
    readonly owner: string,
    /** Whose quota it counts against: the principal, or the client address when unauthenticated. */
    readonly quota: string,
    readonly id: string = randomUUID(),
    /** Prefix of stream and server-to-client request ids: this instance's, with a shared store (ids stay unique). */
    private readonly tag = ''
  ) {
    this.outgoing = new OutgoingRequests(tag ? `mcpgen-${tag}-` : undefined);
  }

  /** The session's protocol state (as a Conversation of the dispatch path: see dispatch.ts). */
  get legacy(): LegacyState {
    return this.state;
  }

  /** Counts `res` as an open stream of this session until it closes. */
  countStream(res: ServerResponse): void {
    this.openStreams++;
    res.once('close', () => this.openStreams--);
  }

  openStream(sink: ServerResponse): string {
    const streamId = `${this.tag}${++this.streamCount}`;
    (this.streams ??= new Map()).set(streamId, { events: [], sink, done: false });
    return streamId;
  }

  /** Writes an event to the stream's live connection (if any) and keeps it until the stream finishes. */
  send(streamId: string, data: string, final: boolean): void {
    const log = this.streams?.get(streamId);
    if (!log) return;
    const seq = (log.events.at(-1)?.seq ?? 0) + 1;
    log.events.push({ seq, data });
    if (log.events.length > MAX_EVENTS_PER_STREAM) log.events.shift();
    log.done = final;
    this.mirror?.(this, streamId, seq, data, final);
    if (writable(log.sink)) {
      log.sink.write(sseEvent(data, `${streamId}.${seq}`));
      if (final) {
        log.sink.end();
        this.streams!.delete(streamId);
      }
    }
  }

  /** The connection of a stream dropped: keep its events for a resume. */
  detach(streamId: string, sink: ServerResponse): void {
    const log = this.streams?.get(streamId);
    if (log && log.sink === sink) log.sink = undefined;
  }

  /** Replays events after `lastEventId` on `sink` and attaches it for what follows; false if unknown. */
  resume(lastEventId: string, sink: ServerResponse): boolean {
    const [streamId, seqText] = lastEventId.split('.');
    const log = streamId !== undefined ? this.streams?.get(streamId) : undefined;
    if (!log || seqText === undefined) return false;
    const after = Number(seqText);
    for (const e of log.events) if (e.seq > after) sink.write(sseEvent(e.data, `${streamId}.${e.seq}`));
    if (log.done) {
      sink.end();
      this.streams!.delete(streamId!);
    } else log.sink = sink;
    return true;
  }

  /**
   * `retryMs` (a shutdown): each open stream gets an SSE `retry:` field before it ends, so clients wait that long
   * before reconnecting (to another instance, by then) instead of hammering the one going away.
   */
  close(retryMs?: number): void {
    for (const c of this.inflight.values()) c.abort();
    this.outgoing.rejectAll('session closed');
    const end = (sink: ServerResponse) => (retryMs === undefined ? sink.end() : sink.end(`retry: ${retryMs}\n\n`));
    for (const log of this.streams?.values() ?? []) if (writable(log.sink)) end(log.sink);
    if (writable(this.standalone)) end(this.standalone);
    this.streams = undefined;
  }
}

/** Why a session could not be opened: the caller's quota is full, or the whole table is. */
export type SessionRefusal = 'quota' | 'full';

/**
 * Bounded session table: at most `max` sessions, and at most `maxPerQuota` per principal (or per client address
 * when unauthenticated). A full table refuses new sessions instead of evicting open ones: evicting the least
 * recently used let one caller end everyone else's sessions. Idle sessions are closed after `idleMs`.
 */
export class SessionStore {
  private readonly sessions = new Map<string, LegacySession>();
  private readonly perQuota = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly max: number,
    private readonly idleMs: number,
    /** `ended` false: only this instance's copy goes (a shared store keeps the session for the others). */
    private readonly onClose: (session: LegacySession, ended: boolean) => void = () => {},
    readonly maxPerQuota: number = max,
    /** Sessions live in a shared state store: idle sweeps and shutdown drop this instance's copies only. */
    private readonly shared = false
  ) {
    this.timer = setInterval(() => this.sweep(), Math.min(Math.max(idleMs / 2, 1000), 60_000));
    this.timer.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Open sessions counted against `quota`. */
  held(quota: string): number {
    return this.perQuota.get(quota) ?? 0;
  }

  create(state: LegacyState, owner: string, quota: string): LegacySession | SessionRefusal {
    if (this.held(quota) >= this.maxPerQuota) return 'quota';
    if (this.sessions.size >= this.max) return 'full';
    return this.adopt(new LegacySession(state, owner, quota));
  }

  /** Keeps a session whose limits were checked elsewhere (a shared state store's, or another instance's session). */
  adopt(session: LegacySession): LegacySession {
    this.sessions.set(session.id, session);
    this.perQuota.set(session.quota, this.held(session.quota) + 1);
    return session;
  }

  /** The session without marking it used. */
  peek(id: string): LegacySession | undefined {
    return this.sessions.get(id);
  }

  get(id: string): LegacySession | undefined {
    const session = this.sessions.get(id);
    if (session) session.lastUsed = Date.now();
    return session;
  }

  /** `ended` false (a shared store): this instance forgets its copy; the session goes on elsewhere. */
  delete(id: string, retryMs?: number, ended = !this.shared): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    session.close(retryMs);
    this.onClose(session, ended);
    const left = this.held(session.quota) - 1;
    if (left > 0) this.perQuota.set(session.quota, left);
    else this.perQuota.delete(session.quota);
    return this.sessions.delete(id);
  }

  sweep(now = Date.now()): void {
    for (const [id, s] of this.sessions) if (now - s.lastUsed > this.idleMs && s.inflight.size === 0) this.delete(id);
  }

  /** `retryMs`: the SSE reconnection delay sent on each open stream before it ends (see LegacySession.close). */
  closeAll(retryMs?: number): void {
    clearInterval(this.timer);
    for (const id of [...this.sessions.keys()]) this.delete(id, retryMs);
  }
}
