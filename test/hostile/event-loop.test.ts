/**
 * Hostile input (j): no single request holds the event loop. The hostile fixture (audit on, API keys, scopes,
 * SQLite, a sandboxed handler, directory resources) is served in this process while monitorEventLoopDelay
 * watches the loop; each request must leave its longest delay under the bound. First the cases that once took
 * seconds to minutes (900 KB of unspaced text through the audit digest, issue 10), then generated requests.
 */
import fc from 'fast-check';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp } from '../helpers/e2e-server.js';
import { credentials, rpc } from './arbitraries.js';
import { report, sample } from './hostile.js';
import { buildHostile, KEYS, startHostileInProcess } from './full-server.js';

/** 100 ms, as the issue asks; CI, with test files side by side on two cores, gets 250 ms. */
const BOUND_MS = process.env.CI ? 250 : 100;
const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const histogram = monitorEventLoopDelay({ resolution: 5 });
let server: Awaited<ReturnType<typeof startHostileInProcess>>;
let session: string;

beforeAll(async () => {
  server = await startHostileInProcess(await buildHostile());
  const init = await send(
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'eld', version: '1' } }
    },
    `Bearer ${KEYS.READER_KEY}`
  );
  session = init.headers.get('mcp-session-id')!;
  histogram.enable();
}, 90_000);
afterAll(async () => {
  histogram.disable();
  await server.close();
  cleanupTemp();
});

/** A 2025-session request (no Mcp-Name header to match, so any name or URI size reaches the core). */
function send(body: unknown, authorization: string | undefined, sessionId?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (authorization !== undefined) headers.authorization = authorization;
  if (sessionId) Object.assign(headers, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
  return fetch(server.url, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** The sampler records a stall on its first tick after it: wait for that tick. */
async function nextSample(): Promise<void> {
  const seen = histogram.count;
  while (histogram.count === seen) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Whether `work` held the event loop: its longest delay reached the bound while this process also spent that
 * much CPU time. A process the machine did not schedule shows a delay too, but spends no CPU meanwhile: on a
 * loaded machine that is not the request's doing. (The old quadratic patterns spent seconds of CPU.)
 */
async function held(work: () => Promise<unknown>): Promise<string | undefined> {
  await nextSample();
  histogram.reset();
  const cpu = process.cpuUsage();
  await work();
  await nextSample();
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const delayMs = histogram.max / 1e6;
  return delayMs >= BOUND_MS && cpuMs >= BOUND_MS
    ? `event loop delayed ${Math.round(delayMs)} ms, ${Math.round(cpuMs)} ms of CPU`
    : undefined;
}

const SIZE = 900_000;
const unspaced = 'a'.repeat(SIZE);
/** recheck's attack string for the old URL-with-password pattern. */
const attack = `${'A'.repeat(SIZE - 4)}\u0000:\u0000@`;
const regressions: [string, string, Record<string, unknown>][] = [
  ['an unknown tool with a 900 KB argument', 'tools/call', { name: 'nope', arguments: { text: unspaced } }],
  ['a tool the key may not call', 'tools/call', { name: 'purge', arguments: { what: unspaced } }],
  ['a served tool (SQL LIKE on 900 KB)', 'tools/call', { name: 'find_item', arguments: { text: unspaced } }],
  ['an unknown tool whose name is 900 KB', 'tools/call', { name: unspaced, arguments: {} }],
  ['prompts/get arguments', 'prompts/get', { name: 'review', arguments: { text: unspaced } }],
  ['a long resource URI', 'resources/read', { uri: `docs://pages/${unspaced}` }],
  ['a long URI with a scheme-like prefix', 'resources/read', { uri: `${unspaced}://x` }],
  ['a long query of tokens', 'resources/read', { uri: `db://items/1?${'token&'.repeat(100_000)}` }],
  ["recheck's attack string as an argument", 'tools/call', { name: 'nope', arguments: { text: attack } }],
  ['a query of credential-like keys', 'resources/read', { uri: `docs://x?${'?'.repeat(SIZE / 2)}${'SIG'.repeat(SIZE / 6)}` }],
  ['a URI against a {+dir}/{+name} template', 'resources/read', { uri: `files://${'/'.repeat(SIZE)}\n` }]
];

describe('event loop', () => {
  it.each(regressions)('is not held by %s', async (_what, method, params) => {
    expect(
      await held(async () => (await send({ jsonrpc: '2.0', id: 2, method, params }, `Bearer ${KEYS.READER_KEY}`, session)).text())
    ).toBeUndefined();
  });

  it('is not held by any generated request', async () => {
    const failures: string[] = [];
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(rpc, credentials, async ({ method, params }, authorization) => {
        cases++;
        const problem = await held(async () =>
          (await send({ jsonrpc: '2.0', id: 3, method, params: { ...params, _meta: meta } }, authorization)).text()
        );
        if (problem) failures.push(`${problem}: ${method} ${JSON.stringify(params).slice(0, 160)}`);
      }),
      { seed: 0x5eed12, numRuns: 200 }
    );
    report('event-loop', cases, failures);
    expect(failures, sample(failures)).toEqual([]);
  }, 240_000);
});
