/**
 * The multi-instance suite (`npm run test:multi`, run by .ci/run): a real nginx, round robin with no stickiness
 * (docs/deploy.md's site, as documented), in front of two `mcp-gen run --http` instances, then in front of one
 * `run --http --workers 2`, every process keeping its state in the machine's Redis. Real clients (SDK v1 in
 * 2025-11-25 sessions, SDK v2 in both eras) never notice which backend answers, even across a SIGKILL.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, killAll } from '../helpers/e2e-server.js';
import { dropKeys, end, initialize, openGet, readEvents, session, waitForLog } from '../helpers/shared-state.js';
import { post } from '../helpers/e2e-server.js';
import { waitFor } from '../helpers/wait.js';
import { buildProject, LIMITED_RATE, type Project, type Topology, twoInstances, twoWorkers } from './topologies.js';

const redis = process.env.MCPGEN_TEST_REDIS;
if (!redis) throw new Error('the multi-instance suite needs MCPGEN_TEST_REDIS (a Redis URL; .ci/run sets it)');

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

/** A v1 client (2025-11-25 session) through nginx that answers elicitations and records resources/updated. */
async function connectV1(url: string): Promise<{ client: ClientV1; transport: HttpV1; updated: string[] }> {
  const client = new ClientV1({ name: 'multi-v1', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, async (req) => {
    const props = Object.keys(req.params.requestedSchema.properties);
    return { action: 'accept', content: Object.fromEntries(props.map((p) => [p, `my-${p}`])) };
  });
  const updated: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    updated.push(n.params.uri);
  });
  const transport = new HttpV1(new URL(url));
  await client.connect(transport);
  return { client, transport, updated };
}

async function connectV2(url: string, era: 'legacy' | 'modern'): Promise<Client> {
  const negotiation = era === 'legacy' ? 'legacy' : { pin: '2026-07-28' };
  const client = new Client(
    { name: 'multi-v2', version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: negotiation as never }
  );
  client.setRequestHandler('elicitation/create', async (req) => {
    const props = Object.keys((req.params as { requestedSchema?: { properties?: object } }).requestedSchema?.properties ?? {});
    return { action: 'accept', content: Object.fromEntries(props.map((p) => [p, p === 'ok' ? true : `my-${p}`])) };
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const text = (r: { content?: unknown }) => JSON.stringify(r.content);

/** Writes the watched file until `updated` holds a notification (every instance watches it: any may see it first). */
async function changeUntilNotified(project: Project, updated: string[]): Promise<void> {
  const before = updated.length;
  await waitFor(
    () => {
      writeFileSync(project.watched, `changed ${Date.now()} ${Math.random()}\n`);
      return updated.length > before;
    },
    15_000,
    'notifications/resources/updated'
  );
}

describe.each([
  { name: 'two instances', start: twoInstances, backends: ['A', 'B'] },
  { name: 'one instance, --workers 2', start: twoWorkers, backends: undefined }
])('nginx round robin in front of $name, state in Redis', ({ start, backends }) => {
  const prefix = `mcpgen-multi-${randomBytes(4).toString('hex')}:`;
  let project: Project;
  let topology: Topology;

  beforeAll(async () => {
    project = await buildProject(prefix);
    topology = await start(project, redis);
  }, 90_000);

  afterAll(async () => {
    await topology?.nginx.stop();
    await dropKeys(redis, prefix);
  });

  /**
   * Both backends served the session's requests of `method` (the two instances, or two distinct workers). A stream's
   * access line is written when it closes, which reaches a backend through nginx a little later: polled for.
   */
  const expectBothServed = async (sessionId: string, method = 'POST') => {
    const both = () => {
      // A cut stream's backend notices the cut when it next writes to it: a change gives it an event to write.
      if (method === 'GET') writeFileSync(project.watched, `nudge ${Date.now()}\n`);
      return new Set(topology.servedBy(sessionId, method)).size === 2;
    };
    await waitFor(both, 10_000, `${method} requests of the session on both backends`).catch(() => {});
    const served = new Set(topology.servedBy(sessionId, method));
    if (backends) expect([...served].sort()).toEqual(backends);
    else expect(served.size).toBe(2);
  };

  it('SDK v1 (2025-11-25): a session whose requests alternate backends all succeed', async () => {
    const { client, transport } = await connectV1(topology.url);
    expect(transport.sessionId).toBeTruthy();
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('random');
    for (let i = 0; i < 8; i++) {
      const r = await client.callTool({ name: 'test_simple_text', arguments: {} });
      expect(text(r)).toContain('This is a simple text response');
    }
    await expectBothServed(transport.sessionId!);
    await client.close();
  });

  it('SDK v2, 2025-11-25 session: lists and calls through either backend', async () => {
    const client = await connectV2(topology.url, 'legacy');
    for (let i = 0; i < 4; i++) expect(text(await client.callTool({ name: 'test_simple_text', arguments: {} }))).toContain('simple text');
    await client.close();
  });

  it('a subscription made through one backend is notified of a change another one sees', async () => {
    const { client, updated } = await connectV1(topology.url);
    await client.subscribeResource({ uri: 'test://watched-resource' });
    await changeUntilNotified(project, updated);
    expect(updated[0]).toBe('test://watched-resource');
    await client.close();
  });

  it('a cut GET stream resumes with Last-Event-ID through nginx, with no lost or duplicated event', async () => {
    const { id } = await initialize(topology.url);
    expect(id).toBeTruthy();
    const sub = await post(
      topology.url,
      { jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: 'test://watched-resource' } },
      session(id!)
    );
    expect(sub.status).toBe(200);
    const first = readEvents(await openGet(topology.url, id!), 1);
    writeFileSync(project.watched, `changed ${Date.now()}\n`);
    let seen = (await first)[0]!.id;
    // Twice: round robin sends the resumptions to different backends than the one that held the stream.
    for (let round = 0; round < 2; round++) {
      const lastSeen = Number(seen.slice(2));
      const logged = await waitForLog(redis, prefix, project.watched, id!, lastSeen + 2);
      const replay = await readEvents(await openGet(topology.url, id!, seen), logged - lastSeen);
      // Events logged after `logged` may follow live: the replay is every event after `seen`, in order, once.
      const ids = replay.map((e) => Number(e.id.slice(2)));
      expect(ids.length).toBeGreaterThanOrEqual(logged - lastSeen);
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => lastSeen + 1 + i));
      expect(replay.every((e) => e.data.includes('notifications/resources/updated'))).toBe(true);
      seen = replay.at(-1)!.id;
    }
    await expectBothServed(id!, 'GET');
    await end(topology.url, id!);
  });

  it('a 2025 elicitation asked by one backend is answered through another', async () => {
    const { client } = await connectV1(topology.url);
    for (let i = 0; i < 3; i++) {
      const r = await client.callTool({ name: 'test_elicitation', arguments: { message: 'Who?' } });
      expect(text(r)).toContain('my-username');
    }
    await client.close();
  });

  it('a 2026-07-28 input_required round started on one backend completes on another', async () => {
    const client = await connectV2(topology.url, 'modern');
    for (let i = 0; i < 3; i++) {
      const r = await client.callTool({ name: 'test_input_required_result_request_state', arguments: {} });
      expect(text(r)).toContain('state-ok');
    }
    await client.close();
  });

  it('rate limits are shared: the calls over the limit are refused whichever backend gets them', async () => {
    const client = await connectV2(topology.url, 'modern');
    const results = [];
    for (let i = 0; i < LIMITED_RATE + 3; i++) results.push(await client.callTool({ name: 'limited', arguments: {} }));
    expect(results.map((r) => r.isError === true)).toEqual([...Array(LIMITED_RATE).fill(false), true, true, true]);
    expect(text(results.at(-1)!)).toMatch(/rate limit/i);
    await client.close();
  });

  it('the cache is shared: every backend answers with the result the first call stored', async () => {
    const client = await connectV2(topology.url, 'modern');
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) answers.add(text(await client.callTool({ name: 'random', arguments: {} })));
    expect(answers.size).toBe(1);
    await client.close();
  });

  it('a backend killed with SIGKILL mid-session: the client carries on through the rest', async () => {
    const { client, transport, updated } = await connectV1(topology.url);
    await client.subscribeResource({ uri: 'test://watched-resource' });
    for (let i = 0; i < 2; i++) await client.callTool({ name: 'test_simple_text', arguments: {} });
    await topology.killOne();
    for (let i = 0; i < 6; i++) {
      const r = await client.callTool({ name: 'test_simple_text', arguments: {} });
      expect(text(r)).toContain('simple text');
    }
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    // The GET stream, wherever it was, is (re)connected to a living backend: notifications still arrive.
    await changeUntilNotified(project, updated);
    expect(transport.sessionId).toBeTruthy();
    await client.close();
  });
});
