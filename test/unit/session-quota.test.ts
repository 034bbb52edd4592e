/**
 * Per-principal session quotas (issue 10, point 4): one caller opening sessions without end is refused with 429
 * once its own quota is full, and never ends another caller's session; unauthenticated callers count per client
 * address (X-Forwarded-For only with trustProxy); the global cap refuses instead of evicting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { createHttpServer, type HttpOptions } from '../../runtime/transports/http.js';
import { buildToTemp } from '../helpers/artifact.js';
import { LEGACY, repo } from '../helpers/e2e-server.js';
import { ENV, startSecured, type Secured } from '../hostile/secured-server.js';
import { createCore } from '../../runtime/serve.js';

let s: Secured | undefined;

/** The quickstart example without auth:, served in process with the given transport options. */
async function startOpen(transport: Partial<HttpOptions>): Promise<{ url: string; close(): Promise<void> }> {
  const loaded = await loadArtifact(await buildToTemp(join(repo, 'examples', 'quickstart', 'mcp-gen.yaml')));
  const core = await createCore(loaded, { log: createLogger('error', () => {}) });
  const http = createHttpServer(core, { ...loaded.artifact.transport, host: '127.0.0.1', port: 0, ...transport });
  const url = await http.listen();
  return { url, close: async () => (await http.close(100), core.close()) };
}
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'q', version: '1' } }
};
const ping = { jsonrpc: '2.0', id: 2, method: 'ping' };
const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const send = (body: unknown, headers: Record<string, string>) =>
  fetch(s!.url, { method: 'POST', headers: { ...base, ...headers }, body: JSON.stringify(body) });
const key = (k: string) => ({ authorization: `Bearer ${k}` });

describe('session quotas', () => {
  it(
    "refuses a key's session past maxSessionsPerPrincipal with 429 naming the setting, and leaves " + "other keys' sessions alone",
    async () => {
      s = await startSecured({ maxSessions: 1000, maxSessionsPerPrincipal: 5 });
      const admin = (await send(initialize, key(ENV.ADMIN_KEY))).headers.get('mcp-session-id')!;
      for (let i = 0; i < 5; i++) expect((await send(initialize, key(ENV.CI_BOT_KEY))).status).toBe(200);
      for (let i = 0; i < 20; i++) {
        const r = await send(initialize, key(ENV.CI_BOT_KEY));
        expect(r.status).toBe(429);
        expect(r.headers.get('retry-after')).toBeTruthy();
        expect(await r.json()).toMatchObject({
          id: 1,
          error: { code: -32033, message: expect.stringContaining('transport.maxSessionsPerPrincipal'), data: { limit: 5 } }
        });
      }
      expect((await send(ping, { ...key(ENV.ADMIN_KEY), 'mcp-session-id': admin })).status).toBe(200);
      expect((await send(initialize, key(ENV.ADMIN_KEY))).status).toBe(200);
      expect(s.http.sessions.size).toBe(7);
    }
  );

  it.each([
    [false, [429, 429]],
    [true, [200, 429]]
  ])(
    'counts unauthenticated callers per client address (trustProxy %s: the last X-Forwarded-For entry names it)',
    async (trustProxy, want) => {
      const open = await startOpen({ maxSessionsPerPrincipal: 2, trustProxy });
      try {
        // The proxy appends the address it saw; what came before is the client's own (and could be anything).
        let spoof = 0;
        const from = (address: string) =>
          fetch(open.url, {
            method: 'POST',
            headers: { ...base, 'x-forwarded-for': `198.51.100.${++spoof}, ${address}` },
            body: JSON.stringify(initialize)
          });
        expect([(await from('192.0.2.1')).status, (await from('192.0.2.1')).status]).toEqual([200, 200]);
        expect([(await from('192.0.2.2')).status, (await from('192.0.2.1')).status]).toEqual(want);
      } finally {
        await open.close();
      }
    }
  );

  it('refuses a new session past maxSessions with 503 instead of evicting an open one', async () => {
    s = await startSecured({ maxSessions: 3, maxSessionsPerPrincipal: 100 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await send(initialize, key(ENV.CI_BOT_KEY))).headers.get('mcp-session-id')!);
    const r = await send(initialize, key(ENV.ADMIN_KEY));
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ error: { code: -32034, message: expect.stringContaining('transport.maxSessions') } });
    for (const id of ids) expect((await send(ping, { ...key(ENV.CI_BOT_KEY), 'mcp-session-id': id })).status).toBe(200);
    expect((await fetch(s.url, { method: 'DELETE', headers: { ...key(ENV.CI_BOT_KEY), 'mcp-session-id': ids[0]! } })).status).toBe(200);
    expect((await send(initialize, key(ENV.ADMIN_KEY))).status).toBe(200);
  });
});
