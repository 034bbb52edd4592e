import type { Services, SourceHandle } from '../kind.js';
import { interpolateEnv } from '../../env.js';
import type { Connection, ConnectionEvents, ListKind, ServerRequest } from './client.js';
import { isConnectionFailure } from './failure.js';
import type { McpSourceIR, McpTransportIR } from './ir.js';
import { surfaceDrift } from './drift.js';

type Obj = Record<string, unknown>;

/** A call in flight that the upstream may ask questions during (elicitation, sampling, roots). */
export interface AskingCall {
  ask(method: ServerRequest, params: Obj): Promise<Obj>;
  log(params: Obj): void;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * One upstream MCP server, per served artifact: connects on first use (and in the background at open, so its
 * list changes reach clients), reconnects with backoff after it dies, and routes the upstream's questions
 * to the call they arrive during.
 */
export class Upstream implements SourceHandle {
  private current: Promise<Connection> | undefined;
  private failures = 0;
  private lastFailure = 0;
  private disposed = false;
  /** Calls in flight, most recent last: an upstream question goes to the newest (stdio has no request link). */
  readonly calls: AskingCall[] = [];
  /** What the lists looked like last (names), to tell a real change from an upstream's start-up chatter. */
  private readonly seen: Record<ListKind, string>;

  constructor(
    readonly name: string,
    private readonly ir: McpSourceIR,
    private readonly services: Services,
    private readonly open: (
      transport: McpTransportIR,
      root: string,
      events: ConnectionEvents,
      options: { era?: 'legacy' | 'modern' }
    ) => Promise<Connection>
  ) {
    const s = ir.surface;
    this.seen = {
      tools: names(s.tools, 'name'),
      resources: names([...s.resources, ...s.resourceTemplates], 'uri'),
      prompts: names(s.prompts, 'name')
    };
  }

  get timeoutMs(): number {
    return this.ir.timeoutMs;
  }

  /** The live connection, (re)connecting when there is none; waits out the backoff after failures. */
  connection(): Promise<Connection> {
    if (this.disposed) return Promise.reject(new Error(`source "${this.name}" is closed`));
    return (this.current ??= this.connect());
  }

  /** Runs `work` on the live connection; a failure of the connection itself drops it, so the next call reconnects. */
  async use<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    const pending = this.connection();
    const connection = await pending;
    try {
      return await work(connection);
    } catch (e) {
      if (isConnectionFailure(e) && this.current === pending) {
        this.current = undefined;
        void connection.close().catch(() => {});
      }
      throw e;
    }
  }

  private async connect(): Promise<Connection> {
    const wait = this.failures === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.failures) - (Date.now() - this.lastFailure);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait).unref());
    let transport: McpTransportIR;
    try {
      transport = resolved(this.ir.transport, process.env);
    } catch (e) {
      this.current = undefined;
      throw e;
    }
    let connection: Connection | undefined;
    const events: ConnectionEvents = {
      onRequest: (method, params) => this.ask(method, params),
      onListChanged: (list) => void this.listChanged(list),
      onLog: (params) => this.calls.at(-1)?.log(params) ?? this.services.log.debug(`[${this.name}] ${JSON.stringify(params.data)}`),
      onClose: () => {
        // Only the connection in use: a stale one closing must not drop its successor.
        if (connection && this.current && this.settled === connection) this.current = undefined;
        if (!this.disposed && connection)
          this.services.log.warn(`MCP source "${this.name}": the upstream closed the connection; reconnecting on the next call`);
      }
    };
    try {
      connection = await this.open(transport, this.services.root, events, this.ir.surface.era ? { era: this.ir.surface.era } : {});
      this.failures = 0;
      this.settled = connection;
      return connection;
    } catch (e) {
      this.failures++;
      this.lastFailure = Date.now();
      this.current = undefined;
      throw new Error(`cannot reach MCP source "${this.name}": ${(e as Error).message}`, { cause: e });
    }
  }

  private settled: Connection | undefined;

  private ask(method: ServerRequest, params: Obj): Promise<Obj> {
    const call = this.calls.at(-1);
    if (!call)
      return Promise.reject(new Error(`${method} outside of a call: mcp-gen forwards the upstream's questions only during a call`));
    return call.ask(method, params);
  }

  /** Forwards a list change the clients can see; an unchanged list (an upstream registering at start) is dropped. */
  private async listChanged(list: ListKind): Promise<void> {
    try {
      const connection = await this.connection();
      const all = list === 'resources' ? await connection.list() : undefined;
      const now = all ? [...all.resources, ...all.resourceTemplates] : await connection.listOne(list);
      const key = names(now, list === 'resources' ? 'uri' : 'name');
      if (key === this.seen[list]) return;
      this.seen[list] = key;
      const drift = surfaceDrift(this.ir.surface, list, now);
      if (drift) this.services.log.warn(`MCP source "${this.name}": ${drift}; rebuild to mount the change`);
      this.services.listChanged(list);
    } catch (e) {
      this.services.log.warn(`MCP source "${this.name}": listing ${list} after list_changed failed: ${(e as Error).message}`);
    }
  }

  async ready(): Promise<void> {
    await this.connection();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const current = this.current;
    this.current = undefined;
    await current?.then((c) => c.close()).catch(() => {});
  }
}

function names(list: readonly Readonly<Obj>[], key: string): string {
  return list
    .map((e) => String(e[key] ?? e.uriTemplate ?? ''))
    .sort()
    .join('\n');
}

/** `${VAR}` references resolved now (never stored resolved); a missing variable fails the connection. */
function resolved(t: McpTransportIR, env: NodeJS.ProcessEnv): McpTransportIR {
  const missing: string[] = [];
  const r = (s: string) => {
    const out = interpolateEnv(s, env);
    missing.push(...out.missing);
    return out.value;
  };
  const map = (o: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, r(v)]));
  const out: McpTransportIR =
    t.type === 'http'
      ? { type: 'http', url: r(t.url), headers: map(t.headers) }
      : { ...t, command: r(t.command), args: t.args.map(r), env: map(t.env) };
  if (missing.length > 0) throw new Error(`environment variable ${[...new Set(missing)].join(', ')} is not set`);
  return out;
}
