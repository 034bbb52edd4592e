import type { ServerResponse } from 'node:http';
import type { LegacyState } from '../core/context.js';
import type { McpCore } from '../core/server.js';
import { listChangedMethod } from '../core/listeners.js';
import { cancelledRequestId } from './message.js';
import type { Delivered } from './dispatch.js';
import { LegacySession, type SessionStore } from './sessions.js';
import { sseEvent, writable } from './sse.js';
import { STANDALONE, type Bus, type SessionRecord, type StateStore } from '../state/store.js';

/** The store could not be asked (Redis down or too slow): the caller answers 503, or 404 for an unknown session. */
export const UNAVAILABLE = 'unavailable';

/**
 * 2025 sessions over a shared state store (runtime/state): any instance serves any session. Each request loads the
 * session's record in one round trip (which also pushes its expiry forward) and keeps a local copy for what cannot
 * be shared (requests in flight, open connections); stream events are copied to the store and published, so the
 * instance holding a stream's connection writes them; responses and cancellations reach the instance waiting.
 */
export class SharedSessions {
  private stops: (() => void)[] = [];
  /** One subscriber for every session of this instance: a change it sees goes to every subscribed session, anywhere. */
  private readonly changed = (uri: string) => this.fan(uri, 'notifications/resources/updated', { uri });

  constructor(
    private readonly core: McpCore,
    private readonly store: StateStore,
    private readonly sessions: SessionStore,
    private readonly ttlMs: number
  ) {}

  /** Listens to the bus and this instance's channel, and watches what sessions subscribed to; never fails (retried by the store). */
  async start(): Promise<void> {
    this.stops.push(this.core.onListChanged((list) => this.fan(undefined, listChangedMethod[list], {})));
    await Promise.all([
      this.store.listen('bus', (m) => this.onBus(m)).then((stop) => this.stops.push(stop)),
      this.store.listen(`in:${this.store.instance}`, (m) => this.onBus(m)).then((stop) => this.stops.push(stop)),
      this.store.subscribedUris().then((uris) => Promise.all(uris.map((uri) => this.core.watch(uri, this.changed))))
    ]).catch(() => this.core.log.debug('state store: not subscribed yet (unreachable); the store subscribes once it is back'));
  }

  /** The session (one round trip), a local copy refreshed from the store; undefined when unknown. */
  async find(id: string): Promise<LegacySession | undefined | typeof UNAVAILABLE> {
    let record: SessionRecord | undefined;
    try {
      record = await this.store.session(id, this.ttlMs);
    } catch {
      return UNAVAILABLE;
    }
    const local = this.sessions.get(id);
    if (!record) {
      // Ended elsewhere, expired, or lost with the store: the copy goes too, and the client starts again (404).
      if (local) this.sessions.delete(id, undefined, false);
      return undefined;
    }
    const session = local ?? this.sessions.adopt(this.open(id, this.stateOf(record), record.owner, record.quota));
    session.record = record;
    session.state.logLevel = record.logLevel;
    session.state.initialized = record.initialized;
    return session;
  }

  /** A new session within its quota, counted across instances. */
  async create(
    state: LegacyState,
    owner: string,
    quota: string,
    maxPerQuota: number
  ): Promise<LegacySession | 'quota' | typeof UNAVAILABLE> {
    const session = this.open(undefined, state, owner, quota);
    const record = recordOf(session, []);
    try {
      if ((await this.store.createSession(session.id, record, maxPerQuota, this.ttlMs)) === 'quota') return 'quota';
    } catch {
      return UNAVAILABLE;
    }
    session.record = record;
    return this.sessions.adopt(session);
  }

  /** DELETE: ends the session everywhere. */
  async end(session: LegacySession): Promise<void> {
    this.sessions.delete(session.id, undefined, true);
    await this.store.deleteSession(session.id, session.record ?? { quota: session.quota, subscriptions: [] });
  }

  /** A response or cancellation this instance could not deliver goes to the instance that can. */
  async forward(msg: Delivered, session: LegacySession): Promise<void> {
    if (msg.type === 'response') {
      const id = (msg.message as { id?: unknown }).id;
      const instance = typeof id === 'string' ? /^mcpgen-([0-9a-f]+)-/.exec(id)?.[1] : undefined;
      if (instance && instance !== this.store.instance)
        await this.store.publish(`in:${instance}`, { t: 'resp', session: session.id, message: msg.message });
      return;
    }
    const id = cancelledRequestId(msg.params);
    if (id !== undefined) await this.store.publish('bus', { t: 'cancel', session: session.id, id });
  }

  /** The session's `notifications/initialized` or log level changed. */
  saved(session: LegacySession): Promise<void> {
    return this.store.updateSession(session.id, recordOf(session, session.record?.subscriptions ?? []), this.ttlMs);
  }

  /**
   * A GET stream: the standalone one (no Last-Event-ID), or the resumption of any stream of the session (this
   * instance's or another's): what the store kept after the id is replayed, then live events, each written once.
   */
  async attach(session: LegacySession, res: ServerResponse, lastEventId: string | undefined): Promise<void> {
    const [stream = STANDALONE, seqText = '0'] = lastEventId?.split('.') ?? [];
    let last = Number(seqText) || 0;
    let replaying: Bus[] | undefined = [];
    const write = (seq: number, data: string, final: boolean) => {
      if (seq <= last || !writable(res)) return;
      last = seq;
      res.write(sseEvent(data, `${stream}.${seq}`));
      if (final) res.end();
    };
    const stop = await this.store.listen(`s:${session.id}`, (m) => {
      if (m.t === 'end') return void res.end();
      if (m.t !== 'ev' || m.stream !== stream) return;
      if (replaying) replaying.push(m);
      else write(m.seq, m.data, m.final === true);
    });
    res.once('close', stop);
    if (lastEventId !== undefined) {
      const kept = await this.store.events(session.id, stream, last);
      const events = kept?.events ?? [];
      events.forEach((e, i) => write(e.seq, e.data, kept!.done && i === events.length - 1));
    }
    const live = replaying;
    replaying = undefined;
    for (const m of live) if (m.t === 'ev') write(m.seq, m.data, m.final === true);
  }

  /** Copies an event of one of this instance's streams to the store (in order: one connection runs them in order). */
  readonly mirror = (session: LegacySession, streamId: string, seq: number, data: string, final: boolean): void => {
    this.store.append(session.id, streamId, data, this.ttlMs, seq, final).catch(() => {
      // Lost with the store: the stream's own connection still has it; only a resumption elsewhere misses it.
    });
  };

  close(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private open(id: string | undefined, state: LegacyState, owner: string, quota: string): LegacySession {
    const session = new LegacySession(state, owner, quota, id, this.store.instance);
    session.mirror = this.mirror;
    state.subscriber = this.changed;
    state.shared = {
      subscribed: async (uri, on) => {
        const subs = new Set(session.record?.subscriptions ?? []);
        if (on) subs.add(uri);
        else subs.delete(uri);
        session.record = recordOf(session, [...subs]);
        await this.store.subscribe(uri, session.id, on);
        await this.store.updateSession(session.id, session.record, this.ttlMs);
        if (on) await this.store.publish('bus', { t: 'watch', uri });
      },
      changed: () => this.saved(session)
    };
    return session;
  }

  private stateOf(record: SessionRecord): LegacyState {
    const { protocolVersion, clientCapabilities, clientInfo, logLevel, initialized } = record;
    return {
      protocolVersion,
      clientCapabilities,
      initialized,
      ...(clientInfo !== undefined ? { clientInfo } : {}),
      ...(logLevel ? { logLevel } : {})
    };
  }

  private onBus(m: Bus): void {
    if (m.t === 'watch') void this.core.watch(m.uri, this.changed).catch(() => {});
    else if (m.t === 'resp') this.sessions.peek(m.session)?.outgoing.settle(m.message as { id: unknown });
    else if (m.t === 'cancel') this.sessions.peek(m.session)?.inflight.get(m.id)?.abort();
  }

  private fan(uri: string | undefined, method: string, params: Record<string, unknown>): void {
    this.store.fanOut(uri, this.core.envelope.notification(method, params), this.ttlMs).catch((e: unknown) => {
      this.core.log.warn(`state store: ${method} not sent to other instances' sessions: ${(e as Error)?.message ?? String(e)}`);
    });
  }
}

function recordOf(session: LegacySession, subscriptions: readonly string[]): SessionRecord {
  const { protocolVersion, clientCapabilities, clientInfo, logLevel, initialized } = session.state;
  return {
    owner: session.owner,
    quota: session.quota,
    protocolVersion,
    clientCapabilities,
    ...(clientInfo !== undefined ? { clientInfo } : {}),
    ...(logLevel ? { logLevel } : {}),
    initialized,
    subscriptions,
    openedAt: session.openedAt
  };
}
