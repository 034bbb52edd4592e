/**
 * Hostile input (e): SSRF through OpenAPI arguments. Generated path, query, header and body values (`../`,
 * encoded dots and slashes, `//host`, absolute URLs, `@host` userinfo, CRLF, NUL, fragments, backslashes)
 * against two sources: one with a `baseUrl`, one whose document server URL is built from server variables.
 * Every request must reach the upstream below its base path; a second "attacker" server must see nothing; no
 * header may be split; nothing may fail as an internal error.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { buildArtifact, cleanupTemp, tempDir } from '../helpers/e2e-server.js';
import { report, sample } from './hostile.js';
import { createCore } from '../../runtime/serve.js';

let upstream: Server;
let attacker: Server;
let core: McpCore;
let upPort: number;
let evilPort: number;
const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];
let attackerHits = 0;
const internal: string[] = [];
const legacy: Channel = { legacy: { protocolVersion: '2025-11-25', clientCapabilities: {}, initialized: true }, notify: () => {} };

const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));

const spec = `openapi: 3.0.3
info: { title: ssrf, version: "1" }
servers:
  - url: "http://127.0.0.1:{port}/api/{version}"
    variables: { port: { default: "9" }, version: { default: v0 } }
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: q, in: query, schema: { type: string } }
        - { name: X-Trace, in: header, schema: { type: string } }
      responses: { "200": { description: ok, content: { application/json: { schema: { type: object } } } } }
  /items/{a}/{b}:
    post:
      operationId: postPair
      parameters:
        - { name: a, in: path, required: true, schema: { type: string } }
        - { name: b, in: path, required: true, schema: { type: string } }
      requestBody: { content: { application/json: { schema: { type: object, properties: { url: { type: string } } } } } }
      responses: { "200": { description: ok, content: { application/json: { schema: { type: object } } } } }
`;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  attacker = createServer((_req, res) => {
    attackerHits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"pwned":true}');
  });
  upPort = await listen(upstream);
  evilPort = await listen(attacker);
  const project = tempDir('mcpgen-ssrf-');
  // One document per source, with prefixed operation ids (tool names are unique across sources).
  for (const prefix of ['plain_', 'vars_'])
    writeFileSync(join(project, `${prefix}api.yaml`), spec.replaceAll('operationId: ', `operationId: ${prefix}`));
  writeFileSync(
    join(project, 'mcp-gen.yaml'),
    `server: { name: ssrf, version: 1.0.0 }
sources:
  plain: { openapi: ./plain_api.yaml, baseUrl: "http://127.0.0.1:${upPort}/api/v1" }
  vars: { openapi: ./vars_api.yaml, serverVariables: { port: "${upPort}", version: v1 } }
`
  );
  core = await createCore(await loadArtifact(await buildArtifact(join(project, 'mcp-gen.yaml'))), {
    log: createLogger('error', (l) => internal.push(l))
  });
});
afterAll(() => {
  core.close();
  upstream.close();
  attacker.close();
  cleanupTemp();
});

function payloads(): string[] {
  const evil = `127.0.0.1:${evilPort}`;
  const fixed = [
    '..',
    '../..',
    '../../admin',
    '..%2f..%2fadmin',
    '%2e%2e',
    '%2e%2e%2f%2e%2e',
    '%252e%252e%252f',
    '..\\..\\admin',
    '.',
    './',
    '/admin',
    '//admin',
    `//${evil}/x`,
    `http://${evil}/`,
    `https://${evil}`,
    `@${evil}`,
    `x@${evil}/`,
    `:${evilPort}`,
    `\\\\${evil}\\x`,
    `http:${evil}`,
    `/\\${evil}`,
    'a\r\nHost: evil.example',
    'a\r\nX-Injected: 1',
    'a%0d%0aX-Injected:%201',
    'a\nX-Injected: 1',
    'a\u0000b',
    '?redirect=http://evil',
    '#frag',
    'a b',
    'a?b=c&d=e',
    `http://${evil}@127.0.0.1:${upPort}/`,
    `127.0.0.1:${evilPort}`,
    'file:///etc/passwd',
    'gopher://127.0.0.1:25/',
    '\u2025/admin',
    '\uff0e\uff0e/admin',
    '%c0%ae%c0%ae/admin',
    '....//admin'
  ];
  const ups = ['..', '%2e%2e', '.%2e', '%2E.', '..;'];
  const seps = ['/', '%2f', '\\', '%5c'];
  const generated = ups.flatMap((u) => seps.flatMap((s) => [1, 3].map((n) => Array(n).fill(u).join(s) + s + `${evil}/x`)));
  return [...fixed, ...generated];
}

describe('SSRF through OpenAPI arguments', () => {
  it('every request stays below the base URL, on the upstream, with unsplit headers', async () => {
    const failures: string[] = [];
    let cases = 0;
    for (const prefix of ['plain_', 'vars_']) {
      for (const p of payloads()) {
        for (const [tool, args] of [
          ['getItem', { id: p }],
          ['getItem', { id: 'ok', q: p }],
          ['getItem', { id: 'ok', 'X-Trace': p }],
          ['postPair', { a: p, b: p, body: { url: p } }]
        ] as const) {
          cases++;
          const before = seen.length;
          const body = String(
            (await core.request(1, 'tools/call', { name: prefix + tool, arguments: args }, legacy, new AbortController().signal)).body
          );
          const requests = seen.slice(before);
          const problems: string[] = [];
          if (body.includes('"code":-32603') || body.includes('pwned')) problems.push(body.slice(0, 160));
          for (const r of requests) {
            if (!r.url.startsWith('/api/v1/')) problems.push(`left the base path: ${r.url}`);
            if (r.url.split(/[/?]/).some((seg) => /^(\.|%2e){2}$/i.test(seg))) problems.push(`dot-dot segment: ${r.url}`);
            if (r.headers['x-injected'] !== undefined || r.headers.host !== `127.0.0.1:${upPort}`)
              problems.push(`headers ${JSON.stringify(r.headers)}`);
          }
          if (problems.length > 0) failures.push(`${prefix}${tool} ${JSON.stringify(args)}: ${problems.join('; ')}`);
        }
      }
    }
    report('ssrf', cases, failures);
    expect(failures, sample(failures)).toEqual([]);
    expect(attackerHits).toBe(0);
    // Most payloads are sent (as encoded data), not refused: the checks above saw real requests.
    expect(seen.length).toBeGreaterThan(cases / 2);
    expect(internal, internal.join('\n')).toEqual([]);
  });

  it('control: ordinary arguments reach the upstream under both bases', async () => {
    for (const prefix of ['plain_', 'vars_']) {
      const before = seen.length;
      await core.request(
        1,
        'tools/call',
        { name: `${prefix}getItem`, arguments: { id: 'a b', q: 'x&y' } },
        legacy,
        new AbortController().signal
      );
      expect(seen.slice(before).map((r) => r.url)).toEqual(['/api/v1/items/a%20b?q=x%26y']);
    }
  });
});
