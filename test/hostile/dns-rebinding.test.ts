/**
 * Hostile input (g): DNS rebinding. Hostile Host and Origin headers (look-alike names, other ports, userinfo
 * tricks, `null`, other schemes) against every endpoint, including the OAuth metadata, with a valid key: all
 * get 403 (400 when malformed) before authentication (the public OAuth metadata checks Host only: browsers read
 * it cross-origin). The configured `allowedHosts` / `allowedOrigins` and loopback pass (control).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pool, report, sample } from './hostile.js';
import { ENV, startSecured, type Secured } from './secured-server.js';

let s: Secured;
let port: number;
beforeAll(async () => {
  s = await startSecured({ allowedHosts: ['mcp.example.test'], allowedOrigins: ['https://app.example.test'] });
  port = Number(new URL(s.url).port);
});
afterAll(() => s.close());

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${ENV.ADMIN_KEY}`,
          ...headers
        }
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d)).on('end', () => resolve({ status: res.statusCode!, text }));
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

const list = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/list',
  params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } }
});
const endpoints: [string, string, string, Record<string, string>, string | undefined][] = [
  ['POST /mcp', 'POST', '/mcp', { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' }, list],
  ['GET /mcp', 'GET', '/mcp', { 'mcp-session-id': 'x', accept: 'text/event-stream' }, undefined],
  ['DELETE /mcp', 'DELETE', '/mcp', { 'mcp-session-id': 'x' }, undefined],
  ['GET metadata', 'GET', '/.well-known/oauth-protected-resource/mcp', {}, undefined]
];

const badHosts = [
  'evil.example',
  'evil.example:80',
  `evil.example:${0}`,
  '127.0.0.1.evil.example',
  'localhost.evil.example',
  'mcp.example.test.evil.example',
  'evil.mcp.example.test',
  'mcp-example.test',
  '127.0.0.2',
  '0.0.0.0',
  '[::ffff:127.0.0.1]',
  '[::2]',
  'localhost@evil.example',
  '1.2.3.4',
  '2130706433',
  'xn--localhost-9za'
];
const malformedHosts = new Set(['localhost@evil.example', 'xn--localhost-9za']);
const badOrigins = [
  'https://evil.example',
  'http://localhost.evil.example',
  'null',
  'http://127.0.0.1.evil.example',
  'https://app.example.test.evil.example',
  'https://evil.app.example.test',
  'https://app.example.test:8443',
  'http://app.example.test',
  'file://',
  'chrome-extension://abcdef',
  'http://mcp.example.test@evil.example',
  'javascript:alert(1)',
  'data:text/html,x',
  'ftp://127.0.0.1',
  'not a url',
  'https://127.0.0.1.nip.io'
];

describe('DNS rebinding', () => {
  it('refuses every hostile Host and Origin with 403 on every endpoint, before authentication', async () => {
    const cases = [
      ...badHosts.flatMap((host) => endpoints.map((e) => ({ what: `Host ${host}`, e, headers: { host } }))),
      // The protected resource metadata is public and CORS-enabled on purpose (browser clients read it cross-origin): Host only.
      ...badOrigins.flatMap((origin) =>
        endpoints
          .filter(([name]) => name !== 'GET metadata')
          .map((e) => ({ what: `Origin ${origin}`, e, headers: { host: `127.0.0.1:${port}`, origin } }))
      )
    ];
    const failures: string[] = [];
    await pool(cases, 8, async ({ what, e: [name, method, path, headers, body], headers: hostile }) => {
      const r = await send(method, path, { ...headers, ...hostile }, body);
      // A Host that is not even `name[:port]` (userinfo) is malformed: 400, also before authentication.
      const status = 'host' in hostile && malformedHosts.has(hostile.host) ? 400 : 403;
      if (
        r.status !== status ||
        !r.text.includes('"code":-32600') ||
        r.text.includes('"result"') ||
        r.text.includes('authorization_servers')
      )
        failures.push(`${what} → ${name}: HTTP ${r.status} ${r.text.slice(0, 100)}`);
    });
    report('dns-rebinding', cases.length, failures);
    expect(failures, sample(failures)).toEqual([]);
  });

  it.each([
    [{ host: `127.0.0.1:${0}` }],
    [{ host: 'localhost' }],
    [{ host: 'LOCALHOST:1234' }],
    [{ host: '[::1]:80' }],
    [{ host: 'mcp.example.test' }],
    [{ host: 'localhost', origin: 'http://localhost:5173' }],
    [{ host: 'mcp.example.test', origin: 'https://app.example.test' }],
    [{ host: 'mcp.example.test', origin: 'https://app.example.test/' }],
    [{ host: 'mcp.example.test', origin: 'https://mcp.example.test' }]
  ])('control: allows %j', async (headers) => {
    const r = await send('POST', '/mcp', { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list', ...headers }, list);
    expect(r.status, r.text).toBe(200);
  });
});
