/**
 * Hostile input (i): no single request, authenticated or not, ends the process. The real CLI serves the hostile
 * fixture with every feature on; malformed Host headers (each crashed it once, issue 10), then generated headers,
 * methods, paths, URIs and arguments are sent over raw sockets. After each batch the process must still be
 * running and answer a valid call.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTemp, killAll, type HttpProcess } from '../helpers/e2e-server.js';
import { report, sample } from './hostile.js';
import { credentials, headerValue, hosts, rpc } from './arbitraries.js';
import { buildHostile, KEYS, rawHttp, rawRequest, startHostileProcess } from './full-server.js';

let server: HttpProcess;
let port: number;
let exited = false;
beforeAll(async () => {
  server = await startHostileProcess(await buildHostile());
  port = Number(new URL(server.url).port);
  void server.exited.then(() => (exited = true));
}, 90_000);
afterAll(async () => {
  await killAll();
  cleanupTemp();
});

const MODERN = { 'Mcp-Protocol-Version': '2026-07-28' };
const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const call = (id: number, method: string, params: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } });
const json = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

/** The process is alive and serves a valid call; else the failure, with the server's log. */
async function stillServing(): Promise<string | undefined> {
  if (exited) return `the process exited; its log:\n${server.stderr().slice(-2000)}`;
  const r = await rawHttp(
    port,
    rawRequest(
      'POST',
      '/mcp',
      { Host: `127.0.0.1:${port}`, ...json, ...MODERN, 'Mcp-Method': 'tools/list', Authorization: `Bearer ${KEYS.READER_KEY}` },
      call(1, 'tools/list', {})
    )
  );
  return r.status === 200 ? undefined : `a valid tools/list got HTTP ${r.status}: ${r.body.slice(0, 200)}`;
}

/** 2xx-4xx and 503: refused or answered, never an internal error or a dropped connection. */
const acceptable = (status: number) => (status >= 200 && status < 500) || status === 503;

describe('process survival', () => {
  it('survives generated Host, Origin, Authorization and Mcp-* headers on every method and path', async () => {
    let cases = 0;
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'GET', 'DELETE', 'PUT', 'OPTIONS'),
        fc.constantFrom('/mcp', '/', '/.well-known/oauth-protected-resource/mcp', '/mcp?x=1'),
        hosts,
        fc.option(headerValue),
        credentials,
        fc.option(headerValue),
        async (method, path, host, origin, authorization, session) => {
          cases++;
          const headers: Record<string, string> = { Host: host, ...json, ...MODERN, 'Mcp-Method': 'tools/list' };
          if (origin !== null) headers.Origin = origin;
          if (authorization !== undefined) headers.Authorization = authorization;
          if (session !== null) headers['Mcp-Session-Id'] = session;
          const r = await rawHttp(port, rawRequest(method, path, headers, method === 'POST' ? call(1, 'tools/list', {}) : ''));
          if (!acceptable(r.status))
            failures.push(`${method} ${path} ${JSON.stringify(headers)}: HTTP ${r.status} ${r.body.slice(0, 120)}`);
          const down = await stillServing();
          if (down) throw new Error(down);
        }
      ),
      { seed: 0x5eed10, numRuns: 300 }
    );
    report('survival-headers', cases, failures);
    expect(failures, sample(failures)).toEqual([]);
  }, 240_000);

  it('survives generated tools/call, prompts/get, resources/read and completion requests with long unspaced text', async () => {
    let cases = 0;
    let reachedCore = 0;
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(rpc, credentials, async ({ method, params }, authorization) => {
        cases++;
        const named = method === 'resources/read' ? params.uri : method === 'completion/complete' ? undefined : params.name;
        const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, ...json, ...MODERN, 'Mcp-Method': method };
        // Mcp-Name must match the body (else -32020 before the core): base64 form for any value.
        if (typeof named === 'string') headers['Mcp-Name'] = `=?base64?${Buffer.from(named).toString('base64')}?=`;
        if (authorization !== undefined) headers.Authorization = authorization;
        const r = await rawHttp(port, rawRequest('POST', '/mcp', headers, call(7, method, params)));
        if (r.body.includes('"result"') || r.body.includes('"code":-32602')) reachedCore++;
        if (!acceptable(r.status))
          failures.push(`${method} ${JSON.stringify(params).slice(0, 200)}: HTTP ${r.status} ${r.body.slice(0, 160)}`);
        const down = await stillServing();
        if (down) throw new Error(down);
      }),
      { seed: 0x5eed11, numRuns: 300 }
    );
    report('survival-requests', cases, failures);
    expect(failures, sample(failures)).toEqual([]);
    // Not vacuous: most requests got past the transport and authentication into the core.
    expect(reachedCore).toBeGreaterThan(cases / 3);
  }, 240_000);

  it('answers 400 to a malformed Host on POST, GET and DELETE, with no key or a wrong one, and keeps serving', async () => {
    const hosts = [
      '127.0.0.1:abc',
      'localhost:99999',
      '[::1]:x',
      '127.0.0.1:-1',
      'localhost:80 x',
      'localhost:',
      '[::1',
      'local host',
      '127.0.0.1:80:80',
      'localhost:0x50',
      '1.2.3.999',
      '[:::]',
      'xn--a'
    ];
    const failures: string[] = [];
    for (const host of hosts)
      for (const method of ['POST', 'GET', 'DELETE'])
        for (const authorization of [undefined, 'Bearer wrong-key']) {
          const headers = {
            Host: host,
            ...json,
            ...MODERN,
            'Mcp-Session-Id': 'x',
            ...(authorization ? { Authorization: authorization } : {})
          };
          const r = await rawHttp(port, rawRequest(method, '/mcp', headers, method === 'POST' ? call(1, 'tools/list', {}) : ''));
          if (r.status !== 400 || !r.body.includes('Host'))
            failures.push(`${method} Host ${JSON.stringify(host)} ${authorization ?? 'no key'}: HTTP ${r.status} ${r.body.slice(0, 120)}`);
          const down = await stillServing();
          if (down) throw new Error(`after ${method} with Host ${JSON.stringify(host)}: ${down}`);
        }
    report('malformed-host', hosts.length * 6, failures);
    expect(failures, sample(failures)).toEqual([]);
  });
});
