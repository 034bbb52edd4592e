import type { LoadedArtifact } from '../../../runtime/artifact/load.js';
import type { Channel } from '../../../runtime/core/context.js';
import { createLogger } from '../../../runtime/log.js';
import { createCore } from '../../../runtime/serve.js';
import { META, MODERN_VERSIONS } from '../../../runtime/sdk.js';

type Obj = Record<string, unknown>;

/** Where `mcp-gen test` asks what models see: the built artifact in this process, or a running server. */
export interface Target {
  /** One 2026-07-28 request; resolves with its result, rejects with the JSON-RPC error's message. */
  request(method: string, params?: Obj): Promise<Obj>;
  close(): Promise<void>;
}

const VERSION = MODERN_VERSIONS[0];
const meta = { [META.protocolVersion]: VERSION, [META.clientCapabilities]: {} };

function resultOf(text: string): Obj {
  const parsed = JSON.parse(text) as { result?: Obj; error?: { code: number; message: string } };
  if (parsed.error) throw new Error(`${parsed.error.message} (${parsed.error.code})`);
  return parsed.result ?? {};
}

/** The artifact served by a core in this process: exactly what `mcp-gen run` would answer, with no transport. */
export async function inProcessTarget(loaded: LoadedArtifact, toolset?: string): Promise<Target> {
  const core = await createCore(loaded, { log: createLogger('error') });
  const channel: Channel = { notify: () => {}, ...(toolset !== undefined ? { toolset } : {}) };
  let id = 0;
  return {
    async request(method, params = {}) {
      const reply = await core.request(++id, method, { ...params, _meta: meta }, channel, new AbortController().signal);
      return resultOf(String(reply.body));
    },
    close: () => core.close()
  };
}

/** A 2026-07-28 value in an Mcp-* header: as is when plain ASCII, else the spec's base64 sentinel form. */
const headerValue = (v: string) => (/^[\x20-\x7e]*$/.test(v) ? v : `=?base64?${Buffer.from(v, 'utf8').toString('base64')}?=`);

/** A server at `url`, over Streamable HTTP in the stateless 2026-07-28 era (no session, no SDK). */
export function httpTarget(url: string, headers: Readonly<Record<string, string>>): Target {
  let id = 0;
  return {
    async request(method, params = {}) {
      const name = method === 'tools/call' || method === 'prompts/get' ? params.name : method === 'resources/read' ? params.uri : undefined;
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': VERSION,
          'mcp-method': method,
          ...(typeof name === 'string' ? { 'mcp-name': headerValue(name) } : {}),
          ...headers
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params: { ...params, _meta: meta } })
      });
      const text = await response.text();
      // An SSE answer (the server sent notifications first): the response is the last event's data.
      const body = response.headers.get('content-type')?.startsWith('text/event-stream')
        ? (text
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .at(-1)
            ?.slice(5) ?? '')
        : text;
      if (!response.ok && !body.startsWith('{')) throw new Error(`HTTP ${response.status} from ${url}: ${text.slice(0, 200)}`);
      return resultOf(body);
    },
    close: async () => {}
  };
}

/** Every item of a paginated list (`tools/list`, …). */
export async function listAll(target: Target, method: string, key: string): Promise<Obj[]> {
  const out: Obj[] = [];
  let cursor: unknown;
  do {
    const page = await target.request(method, cursor === undefined ? {} : { cursor });
    out.push(...((page[key] as Obj[] | undefined) ?? []));
    cursor = page.nextCursor;
  } while (typeof cursor === 'string' && cursor !== '' && out.length < 100_000);
  return out;
}
