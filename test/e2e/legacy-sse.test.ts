/**
 * The deprecated HTTP+SSE transport of protocol 2024-11-05 (`transport.legacySse: true`), served by the real CLI:
 * the SDK v1 SSEClientTransport (how clients of 2024 connect) opens GET /sse, POSTs to the endpoint the stream names,
 * lists, calls and answers an elicitation; the routes pass the same checks as the MCP endpoint (auth, Host); a POST
 * to an unknown stream is 404; without the setting the routes do not exist.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArtifact, cleanupTemp, copyExample, killAll, startHttp, type HttpProcess } from '../helpers/e2e-server.js';

let on: HttpProcess;
let locked: HttpProcess;
let off: HttpProcess;
const origin = (p: HttpProcess) => new URL(p.url).origin;

beforeAll(async () => {
  const a = copyExample('conformance');
  appendFileSync(join(a, 'mcp-gen.yaml'), '\ntransport: { legacySse: true }\n');
  const b = copyExample('conformance');
  appendFileSync(join(b, 'mcp-gen.yaml'), '\ntransport: { legacySse: true }\nauth: { apiKeys: [ { name: ci, key: "${SSE_KEY}" } ] }\n');
  const c = copyExample('conformance');
  const [x, y, z] = await Promise.all([a, b, c].map((d) => buildArtifact(join(d, 'mcp-gen.yaml'))));
  [on, locked, off] = await Promise.all([startHttp(x!), startHttp(y!, [], { ...process.env, SSE_KEY: 'sse-key-123456' }), startHttp(z!)]);
}, 90_000);

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

describe('HTTP+SSE (2024-11-05)', () => {
  it('SDK v1 SSEClientTransport: connects, lists, calls and answers an elicitation', async () => {
    const client = new Client({ name: 'sse-test', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (req) => ({
      action: 'accept',
      content: Object.fromEntries(Object.keys(req.params.requestedSchema.properties).map((p) => [p, `sse-${p}`]))
    }));
    await client.connect(new SSEClientTransport(new URL('/sse', origin(on))));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('test_simple_text');
    expect(JSON.stringify((await client.callTool({ name: 'test_simple_text', arguments: {} })).content)).toContain('simple text response');
    expect(JSON.stringify((await client.callTool({ name: 'test_elicitation', arguments: { message: 'Who?' } })).content)).toContain(
      'sse-username'
    );
    await client.close();
  });

  it('names the POST endpoint in the first event, and answers a POST to an unknown stream with 404', async () => {
    const res = await fetch(new URL('/sse', origin(on)), { headers: { accept: 'text/event-stream' } });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const { value } = await reader.read();
    expect(value).toMatch(/^event: endpoint\ndata: \/messages\?sessionId=[0-9a-f-]{36}\n\n/);
    await reader.cancel();
    const post = await fetch(new URL('/messages?sessionId=nope', origin(on)), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}'
    });
    expect(post.status).toBe(404);
  });

  it('passes the same checks as the MCP endpoint: a key, an allowed Host', async () => {
    expect((await fetch(new URL('/sse', origin(locked)))).status).toBe(401);
    const ok = await fetch(new URL('/sse', origin(locked)), { headers: { authorization: 'Bearer sse-key-123456' } });
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
  });

  it('does not exist without transport.legacySse', async () => {
    expect((await fetch(new URL('/sse', origin(off)))).status).toBe(404);
  });
});
