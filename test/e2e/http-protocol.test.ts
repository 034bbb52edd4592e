/**
 * Streamable HTTP at the wire level, with fetch and no SDK: the built quickstart served by the real CLI
 * (`mcp-gen run --http --port 0`). Request guards, both eras' error mapping, caching hints and sessions.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildArtifact,
  cleanupTemp,
  killAll,
  LEGACY,
  legacySession,
  MODERN,
  modernHeaders,
  modernMeta,
  post,
  postModern,
  repo,
  reply,
  startHttp,
  tempDir
} from '../helpers/e2e-server.js';

let url: string;

beforeAll(async () => {
  const dir = await buildArtifact(join(repo, 'examples', 'quickstart', 'mcp-gen.yaml'), join(tempDir(), '.mcp-gen'));
  url = (await startHttp(dir)).url;
});

afterAll(async () => {
  await killAll();
  cleanupTemp();
});

const toolsList = (id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/list', params: { _meta: modernMeta } });

/** A raw request with node:http: fetch cannot set the Host header. */
function rawRequest(headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        agent: false
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('request guards', () => {
  it('accepts a loopback Host header', async () => {
    const port = new URL(url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const r = await rawRequest({ host, ...modernHeaders('tools/list') }, JSON.stringify(toolsList()));
      expect(r.status, host).toBe(200);
    }
  });

  it('refuses a Host header that is not loopback with 403 (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${new URL(url).port}`]) {
      const r = await rawRequest({ host, ...modernHeaders('tools/list') }, JSON.stringify(toolsList()));
      expect(r.status, host).toBe(403);
      expect(JSON.parse(r.body).error.message).toMatch(/Host/);
      expect(r.body).not.toContain('"tools"');
    }
  });

  it('refuses a foreign Origin with 403, accepts a loopback one', async () => {
    const bad = await post(url, toolsList(), { origin: 'https://evil.example', ...modernHeaders('tools/list') });
    expect(bad.status).toBe(403);
    expect(bad.json.error.message).toMatch(/Origin/);
    expect((await post(url, toolsList(), { origin: 'null', ...modernHeaders('tools/list') })).status).toBe(403);
    const good = await post(url, toolsList(), { origin: new URL(url).origin, ...modernHeaders('tools/list') });
    expect(good.status).toBe(200);
  });

  it('answers GET without a session with 405 and Allow: POST', async () => {
    const r = await fetch(url, { headers: { accept: 'text/event-stream' } });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    await r.body?.cancel();
  });

  it('answers an unknown path with 404', async () => {
    const r = await post(url.replace(/\/mcp$/, '/not-mcp'), toolsList(), modernHeaders('tools/list'));
    expect(r.status).toBe(404);
    expect((await reply(await fetch(new URL('/', url)))).status).toBe(404);
  });

  it('answers a non-JSON content type with 415', async () => {
    const r = await post(url, JSON.stringify(toolsList()), { 'content-type': 'text/plain', ...modernHeaders('tools/list') });
    expect(r.status).toBe(415);
    const form = await post(url, 'a=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });

  it('answers a body over the 4 MiB limit with 413, and keeps serving', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'greet', arguments: { name: 'x'.repeat(5 * 1024 * 1024) }, _meta: modernMeta }
    });
    const r = await post(url, big, modernHeaders('tools/call', 'greet'));
    expect(r.status).toBe(413);
    expect(r.json.error.message).toMatch(/Payload Too Large/);
    // Without a Content-Length: the limit is enforced while streaming.
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(chunk);
        c.close();
      }
    });
    const chunked = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half'
    } as RequestInit);
    expect(chunked.status).toBe(413);
    await chunked.body?.cancel();
    expect((await postModern(url, 2, 'tools/list')).status).toBe(200);
  });

  it('answers invalid JSON with 400 and a -32700 parse error', async () => {
    const r = await post(url, '{"jsonrpc": "2.0", "id": 1, "method": ', modernHeaders('tools/list'));
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });
});

describe('2026-07-28 (stateless) requests', () => {
  it('400 -32602 when _meta carries no protocol version', async () => {
    const r = await post(url, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, modernHeaders('tools/list'));
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ id: 1, error: { code: -32602 } });
    expect(r.json.error.message).toContain('io.modelcontextprotocol/protocolVersion');
    const noParams = await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, modernHeaders('tools/list'));
    expect(noParams.status).toBe(400);
    expect(noParams.json.error.code).toBe(-32602);
  });

  it('400 -32022 for an unsupported version, listing the supported ones', async () => {
    const body = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/list',
      params: { _meta: { ...modernMeta, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } }
    };
    const r = await post(url, body, modernHeaders('tools/list', undefined, '2099-01-01'));
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ id: 3, error: { code: -32022, data: { requested: '2099-01-01' } } });
    expect(r.json.error.data.supported).toEqual(expect.arrayContaining([MODERN, LEGACY]));
  });

  it('400 -32020 when a header does not match the body', async () => {
    const method = await postModern(url, 4, 'tools/list', {}, { 'mcp-method': 'tools/call' });
    expect(method.status).toBe(400);
    expect(method.json).toMatchObject({ id: 4, error: { code: -32020 } });
    expect(method.json.error.message).toContain('Mcp-Method');
    const name = await postModern(url, 5, 'tools/call', { name: 'greet', arguments: { name: 'a' } }, { 'mcp-name': 'server_logo' });
    expect(name.status).toBe(400);
    expect(name.json.error.code).toBe(-32020);
    const version = await postModern(url, 6, 'tools/list', {}, { 'mcp-protocol-version': LEGACY });
    expect(version.status).toBe(400);
    expect(version.json.error.code).toBe(-32020);
    const missing = await post(url, toolsList(7), {});
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe(-32020);
  });

  it('accepts Mcp-Name in the =?base64?…?= form', async () => {
    const r = await postModern(
      url,
      8,
      'tools/call',
      { name: 'greet', arguments: { name: 'Ada' } },
      { 'mcp-name': `=?base64?${Buffer.from('greet').toString('base64')}?=` }
    );
    expect(r.status).toBe(200);
    expect(r.json.result.content).toEqual([{ type: 'text', text: 'Hello, Ada.' }]);
  });

  it('404 -32601 for an unknown method, and for ping (removed in 2026-07-28)', async () => {
    const unknown = await postModern(url, 9, 'tools/frobnicate');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ id: 9, error: { code: -32601 } });
    const ping = await postModern(url, 10, 'ping');
    expect(ping.status).toBe(404);
    expect(ping.json).toMatchObject({ id: 10, error: { code: -32601 } });
    for (const m of ['logging/setLevel', 'resources/subscribe']) expect((await postModern(url, 11, m)).json.error.code, m).toBe(-32601);
  });

  it('tools/list results are complete, cacheable and name the server', async () => {
    const r = await postModern(url, 12, 'tools/list');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('mcp-session-id')).toBeNull();
    const result = r.json.result;
    expect(result.resultType).toBe('complete');
    expect(result.ttlMs).toEqual(expect.any(Number));
    expect(result.ttlMs).toBeGreaterThan(0);
    expect(['public', 'private']).toContain(result.cacheScope);
    expect(result._meta['io.modelcontextprotocol/serverInfo']).toEqual({ name: 'quickstart', version: '1.0.0' });
    expect(result.tools.map((t: { name: string }) => t.name)).toEqual(['greet', 'server_logo']);
    expect(result.nextCursor).toBeUndefined();
  });

  it('tool errors stay results; unknown tools are -32602 with HTTP 400', async () => {
    const bad = await postModern(url, 13, 'tools/call', { name: 'greet', arguments: {} });
    expect(bad.status).toBe(200);
    expect(bad.json.result).toMatchObject({ isError: true, resultType: 'complete' });
    const unknown = await postModern(url, 14, 'tools/call', { name: 'nope', arguments: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe(-32602);
  });
});

describe('2025-11-25 sessions', () => {
  it('initialize returns an Mcp-Session-Id and the negotiated version', async () => {
    const { id, init } = await legacySession(url);
    expect(init.status).toBe(200);
    expect(id).toMatch(/^[\x21-\x7e]+$/);
    expect(init.json.result).toMatchObject({
      protocolVersion: LEGACY,
      serverInfo: { name: 'quickstart', version: '1.0.0' },
      capabilities: { tools: {} }
    });
    expect(init.json.result.instructions).toBe('Small demo of every declarative kind.');
    const list = await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': id, 'mcp-protocol-version': LEGACY });
    expect(list.status).toBe(200);
    expect(list.json.result.tools).toHaveLength(2);
    expect(list.json.result.resultType).toBeUndefined();
    expect((await post(url, { jsonrpc: '2.0', id: 3, method: 'ping' }, { 'mcp-session-id': id })).json.result).toEqual({});
  });

  it('answers JSON-RPC errors inside a session with HTTP 200 (what 2025 clients expect)', async () => {
    const { id } = await legacySession(url);
    const r = await post(
      url,
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'nope', arguments: {} } },
      { 'mcp-session-id': id, 'mcp-protocol-version': LEGACY }
    );
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: 4, error: { code: -32602 } });
    const unknown = await post(url, { jsonrpc: '2.0', id: 5, method: 'no/such' }, { 'mcp-session-id': id });
    expect(unknown.status).toBe(200);
    expect(unknown.json.error.code).toBe(-32601);
    const missing = await post(
      url,
      { jsonrpc: '2.0', id: 6, method: 'resources/read', params: { uri: 'docs://nope' } },
      { 'mcp-session-id': id }
    );
    expect(missing.status).toBe(200);
    expect(missing.json.error).toMatchObject({ code: -32002, data: { uri: 'docs://nope' } });
  });

  it('404 for an unknown session id', async () => {
    const r = await post(
      url,
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { 'mcp-session-id': 'no-such-session', 'mcp-protocol-version': LEGACY }
    );
    expect(r.status).toBe(404);
    expect(r.json.error.message).toMatch(/Session not found/);
    const get = await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': 'no-such-session' } });
    expect(get.status).toBe(404);
    await get.body?.cancel();
  });

  it('DELETE ends a session: 200, then 404 for every later use of it', async () => {
    const { id } = await legacySession(url);
    const del = await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
    expect(del.status).toBe(200);
    await del.body?.cancel();
    expect((await post(url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-session-id': id })).status).toBe(404);
    const again = await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
    expect(again.status).toBe(404);
    await again.body?.cancel();
  });
});
