/**
 * The one module that loads the MCP client SDK (imported lazily, when an MCP source is opened or the build
 * records an upstream's surface). Everything else in the kind talks to the upstream through `Connection`.
 */
import { resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import type { McpTransportIR } from './ir.js';

type Obj = Record<string, unknown>;
export type ListKind = 'tools' | 'resources' | 'prompts';
export type ServerRequest = 'elicitation/create' | 'sampling/createMessage' | 'roots/list';

/** What the connection reports back to its owner. */
export interface ConnectionEvents {
  /** The upstream asked the client something (during one of our calls). */
  onRequest(method: ServerRequest, params: Obj): Promise<Obj>;
  onListChanged(list: ListKind): void;
  onLog(params: Obj): void;
  /** The connection ended (the process exited, the HTTP session ended, or `close()`). */
  onClose(): void;
}

export interface CallOptions {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly onProgress?: (progress: number, total?: number, message?: string) => void;
  /** W3C trace context (`traceparent`, `tracestate`) sent on in `params._meta`. */
  readonly traceContext?: Readonly<Record<string, string>>;
}

export interface Connection {
  readonly era: 'legacy' | 'modern';
  readonly server?: { name: string; version: string };
  list(): Promise<{ tools: Obj[]; resources: Obj[]; resourceTemplates: Obj[]; prompts: Obj[] }>;
  listOne(list: ListKind): Promise<Obj[]>;
  callTool(name: string, args: Obj, options: CallOptions): Promise<Obj>;
  readResource(uri: string, options: CallOptions): Promise<Obj>;
  getPrompt(name: string, args: Readonly<Record<string, string>>, options: CallOptions): Promise<Obj>;
  complete(ref: Obj, argument: { name: string; value: string }): Promise<string[]>;
  close(): Promise<void>;
}

/** Settings with `${VAR}` already resolved; `root` is where a relative `cwd` is resolved. */
export async function connect(
  transport: McpTransportIR,
  root: string,
  events: ConnectionEvents,
  options: { name?: string; era?: 'legacy' | 'modern' } = {}
): Promise<Connection> {
  // Unknown era: server/discover first, the 2025 initialize when the upstream does not speak 2026-07-28.
  const negotiation = options.era === 'modern' ? { pin: '2026-07-28' } : options.era === 'legacy' ? 'legacy' : 'auto';
  const client = new Client(
    { name: options.name ?? 'mcp-gen', version: '1' },
    { capabilities: { elicitation: { form: {} }, sampling: {} }, versionNegotiation: { mode: negotiation as 'auto' } }
  );
  // No roots: the downstream client's roots must not widen what the manifest lets the upstream see (a filesystem server).
  for (const method of ['elicitation/create', 'sampling/createMessage'] as const) {
    client.setRequestHandler(method, (async (req: { params?: Obj }) => events.onRequest(method, req.params ?? {})) as never);
  }
  const lists: [string, ListKind][] = [
    ['notifications/tools/list_changed', 'tools'],
    ['notifications/resources/list_changed', 'resources'],
    ['notifications/prompts/list_changed', 'prompts']
  ];
  for (const [method, list] of lists) client.setNotificationHandler(method as never, (() => events.onListChanged(list)) as never);
  client.setNotificationHandler('notifications/message', ((n: { params: Obj }) => events.onLog(n.params)) as never);
  client.onclose = () => events.onClose();
  const t =
    transport.type === 'http'
      ? new StreamableHTTPClientTransport(new URL(transport.url), { requestInit: { headers: { ...transport.headers } } })
      : new StdioClientTransport({
          command: transport.command,
          args: [...transport.args],
          env: { ...getDefaultEnvironment(), ...transport.env },
          stderr: 'pipe',
          // Like every path in the manifest, relative to its folder.
          cwd: resolve(root, transport.cwd ?? '.')
        });
  // Drained (an upstream's chatter must not block it); shown with MCPGEN_DEBUG_UPSTREAM=1.
  const debug = process.env.MCPGEN_DEBUG_UPSTREAM === '1';
  if (t instanceof StdioClientTransport) t.stderr?.on('data', (d: Buffer) => debug && process.stderr.write(d));
  await client.connect(t);
  const era = client.getProtocolEra() === 'modern' ? 'modern' : 'legacy';
  const caps = (client.getServerCapabilities() ?? {}) as Obj;
  if (era === 'legacy' && caps.logging) await client.setLoggingLevel('debug').catch(() => {});
  const info = client.getServerVersion();
  const opts = (o: CallOptions) => ({
    signal: o.signal,
    timeout: o.timeoutMs,
    resetTimeoutOnProgress: true,
    ...(o.onProgress
      ? { onprogress: (p: { progress: number; total?: number; message?: string }) => o.onProgress!(p.progress, p.total, p.message) }
      : {})
  });
  // 2026-07-28 upstreams send log messages only when the request asks for them.
  const meta = era === 'modern' ? { _meta: { 'io.modelcontextprotocol/logLevel': 'debug' } } : {};
  const metaOf = (o: CallOptions) =>
    o.traceContext && Object.keys(o.traceContext).length > 0 ? { _meta: { ...meta._meta, ...o.traceContext } } : meta;
  const listOne = async (list: ListKind | 'resourceTemplates'): Promise<Obj[]> => {
    if (list === 'tools') return caps.tools ? ((await client.listTools()).tools as Obj[]) : [];
    if (list === 'prompts') return caps.prompts ? ((await client.listPrompts()).prompts as Obj[]) : [];
    if (list === 'resources') return caps.resources ? ((await client.listResources()).resources as Obj[]) : [];
    return caps.resources ? ((await client.listResourceTemplates()).resourceTemplates as Obj[]) : [];
  };
  return {
    era,
    ...(info ? { server: { name: info.name, version: info.version } } : {}),
    listOne,
    async list() {
      const [tools, resources, resourceTemplates, prompts] = await Promise.all([
        listOne('tools'),
        listOne('resources'),
        listOne('resourceTemplates'),
        listOne('prompts')
      ]);
      return { tools, resources, resourceTemplates, prompts };
    },
    callTool: async (name, args, o) => (await client.callTool({ name, arguments: args, ...metaOf(o) }, opts(o))) as Obj,
    readResource: async (uri, o) => (await client.readResource({ uri, ...metaOf(o) }, opts(o))) as Obj,
    getPrompt: async (name, args, o) => (await client.getPrompt({ name, arguments: { ...args }, ...metaOf(o) }, opts(o))) as Obj,
    async complete(ref, argument) {
      if (!caps.completions) return [];
      const r = await client.complete({ ref: ref as never, argument });
      return r.completion.values;
    },
    close: () => client.close()
  };
}
