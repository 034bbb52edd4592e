/**
 * Two real `mcp-gen run --http` processes (A and B) sharing the machine's Redis (`--state`, a unique key prefix):
 * a 2025 session opened on one is served by the other, a subscription made through one is notified through the
 * other's stream, a GET stream resumes on the other instance with exactly the events it missed, a 2025 elicitation
 * answered through the other instance reaches the one waiting, a 2026-07-28 input_required round continues on the
 * other instance, and the per-principal session cap counts both. The clients alternate instances on every request,
 * as a round-robin load balancer without stickiness would.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifact, cleanupTemp, copyExample, killAll, post, startHttp, type HttpProcess } from '../helpers/e2e-server.js';
import { dropKeys, end, initialize, openGet, readEvents, session, waitForLog } from '../helpers/shared-state.js';

const redis = process.env.MCPGEN_TEST_REDIS;
const prefix = `mcpgen-test-${randomBytes(4).toString('hex')}:`;
let a: HttpProcess;
let b: HttpProcess;
let watched: string;

beforeAll(async () => {
  if (!redis) return;
  const dir = copyExample('conformance');
  const manifest = join(dir, 'mcp-gen.yaml');
  appendFileSync(manifest, `\ntransport: { maxSessionsPerPrincipal: 3 }\nstate: { prefix: "${prefix}" }\n`);
  watched = join(dir, 'assets', 'watched.txt');
  const out = await buildArtifact(manifest);
  [a, b] = await Promise.all([startHttp(out, ['--state', redis]), startHttp(out, ['--state', redis])]);
}, 60_000);

afterAll(async () => {
  await killAll();
  cleanupTemp();
  if (redis) await dropKeys(redis, prefix);
});

/** A fetch that sends each request to the next instance in turn (round robin, no stickiness). */
function alternating(): typeof fetch {
  let n = 0;
  return (input, init) => {
    const target = new URL(String(input instanceof Request ? input.url : input));
    const next = new URL(n++ % 2 === 0 ? a.url : b.url);
    target.host = next.host;
    return fetch(target, init);
  };
}

describe.skipIf(!redis)('two instances sharing a Redis state store', () => {
  it('counts the per-principal session cap across both instances', async () => {
    const opened = [await initialize(a.url), await initialize(b.url), await initialize(a.url)];
    expect(opened.map((o) => o.status)).toEqual([200, 200, 200]);
    const refused = await initialize(b.url);
    expect(refused.status).toBe(429);
    expect((await end(b.url, opened[0]!.id!)).status).toBe(200);
    const replacement = await initialize(b.url);
    expect(replacement.status).toBe(200);
    expect((await initialize(a.url)).status).toBe(429);
    // Every session of this client address ends: the next tests start with a full quota.
    for (const o of [...opened.slice(1), replacement]) expect((await end(a.url, o.id!)).status).toBe(200);
  });

  it('serves a session opened on A through B, and ends it everywhere', async () => {
    const { id } = await initialize(a.url);
    expect(id).toBeTruthy();
    const list = await post(b.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, session(id!));
    expect(list.status).toBe(200);
    expect(list.text).toContain('test_simple_text');
    const call = await post(
      b.url,
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'test_simple_text', arguments: {} } },
      session(id!)
    );
    expect(call.text).toContain('This is a simple text response for testing.');
    expect((await end(b.url, id!)).status).toBe(200);
    const after = await post(a.url, { jsonrpc: '2.0', id: 4, method: 'tools/list' }, session(id!));
    expect(after.status).toBe(404);
  });

  it('notifies a subscription made through B on the stream held by A, and resumes that stream on B', async () => {
    const { id } = await initialize(a.url);
    const sub = await post(
      b.url,
      { jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: 'test://watched-resource' } },
      session(id!)
    );
    expect(sub.status).toBe(200);
    const stream = await openGet(a.url, id!);
    expect(stream.status).toBe(200);
    const first = readEvents(stream, 1);
    writeFileSync(watched, `changed ${Date.now()}\n`);
    const [event] = await first;
    expect(event!.data).toContain('notifications/resources/updated');
    expect(event!.id).toMatch(/^g\.\d+$/);
    // The stream is cut: changes go on; B replays what was missed after the last id seen, and nothing before it.
    const lastSeen = Number(event!.id.slice(2));
    const logged = await waitForLog(redis!, prefix, watched, id!, lastSeen + 1);
    const resumed = await openGet(b.url, id!, event!.id);
    const replay = await readEvents(resumed, logged - lastSeen);
    expect(replay.map((e) => Number(e.id.slice(2)))).toEqual(Array.from({ length: logged - lastSeen }, (_, i) => lastSeen + 1 + i));
    await end(a.url, id!);
  });

  it('routes a 2025 elicitation answer posted to B to the instance waiting on it', async () => {
    const client = await connectAlternating({ mode: 'legacy' });
    const r = await client.callTool({ name: 'test_elicitation', arguments: { message: 'Who?' } });
    expect(JSON.stringify(r.content)).toContain('my-username');
    await client.close();
  });

  it('continues a 2026-07-28 input_required round on the other instance', async () => {
    const client = await connectAlternating({ mode: { pin: '2026-07-28' } });
    const r = await client.callTool({ name: 'test_input_required_result_request_state', arguments: {} });
    expect(JSON.stringify(r.content)).toContain('state-ok');
    await client.close();
  });
});

async function connectAlternating(negotiation: unknown): Promise<Client> {
  const client = new Client(
    { name: 'scale-out-test', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: negotiation as never }
  );
  client.setRequestHandler('elicitation/create', async (req) => {
    const props = Object.keys((req.params as { requestedSchema?: { properties?: object } }).requestedSchema?.properties ?? {});
    return { action: 'accept', content: Object.fromEntries(props.map((p) => [p, p === 'ok' ? true : `my-${p}`])) };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(a.url), { fetch: alternating() }));
  return client;
}
