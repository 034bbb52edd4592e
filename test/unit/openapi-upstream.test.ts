/**
 * The OpenAPI kind's upstream plumbing against a local server: undici requests (schemes, IPv6 hosts,
 * content encodings, bodies cut or discarded) and the OAuth2 client-credentials token cache.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { createAgents, discard, readBody, send } from '../../runtime/kinds/openapi/client.js';

const agents = createAgents();
import { CallLimit } from '../../runtime/kinds/openapi/limit.js';
import { TokenCache } from '../../runtime/kinds/openapi/tokens.js';

const TEXT = 'the quick brown fox '.repeat(20);
let server: Server;
let base: string;
let port: number;
const tokenRequests: { auth: string; body: string }[] = [];

function reply(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url!, 'http://x');
  if (url.pathname === '/token') {
    tokenRequests.push({ auth: String(req.headers.authorization), body });
    const mode = url.searchParams.get('mode');
    if (mode === 'refuse') return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
    if (mode === 'empty') return void res.writeHead(200, { 'content-type': 'application/json' }).end('not json');
    return void res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ access_token: `tok${tokenRequests.length}`, ...(mode === 'short' ? { expires_in: 1 } : {}) }));
  }
  const encoding = url.searchParams.get('enc') ?? '';
  const encoded: Record<string, Buffer> = {
    gzip: gzipSync(TEXT),
    deflate: deflateSync(TEXT),
    'deflate-raw': deflateRawSync(TEXT),
    br: brotliCompressSync(TEXT),
    broken: Buffer.from('definitely not gzip')
  };
  if (url.pathname === '/big') return void res.writeHead(200, { 'content-length': String(100_000) }).end(Buffer.alloc(100_000, 97));
  if (url.pathname === '/echo') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${req.url} ${body}`);
  const header = encoding === 'deflate-raw' ? 'deflate' : encoding === 'broken' ? 'gzip' : encoding;
  res.writeHead(200, header ? { 'content-encoding': header } : {}).end(encoded[encoding] ?? TEXT);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => reply(req, res, Buffer.concat(chunks).toString()));
  });
  await new Promise<void>((done) => server.listen(0, '::1', done));
  port = (server.address() as { port: number }).port;
  base = `http://[::1]:${port}`;
});
afterAll(async () => {
  await agents.destroy();
  return new Promise<void>((done) => server.close(() => done()));
});

const limit = () => new CallLimit({ signal: new AbortController().signal }, 5_000);

describe('send and readBody', () => {
  it.each([
    { given: 'identity', query: '', want: TEXT },
    { given: 'gzip', query: '?enc=gzip', want: TEXT },
    { given: 'zlib deflate', query: '?enc=deflate', want: TEXT },
    { given: 'raw deflate', query: '?enc=deflate-raw', want: TEXT },
    { given: 'brotli', query: '?enc=br', want: TEXT },
    { given: 'an unknown encoding, passed through', query: '?enc=compress', want: TEXT }
  ])('decodes $given over an IPv6 host', async ({ query, want }) => {
    const l = limit();
    const response = await send({ method: 'GET', url: new URL(`${base}/data${query}`), headers: {} }, l, agents);
    expect(response.status).toBe(200);
    const body = await readBody(response, 1_000_000, l);
    l.dispose();
    expect(body).toEqual({ bytes: Buffer.from(want), truncated: false });
  });

  it('cuts a decoded body at the cap', async () => {
    const l = limit();
    const body = await readBody(await send({ method: 'GET', url: new URL(`${base}/data?enc=gzip`), headers: {} }, l, agents), 10, l);
    l.dispose();
    expect(body).toEqual({ bytes: Buffer.from(TEXT.slice(0, 10)), truncated: true });
  });

  it('names a body that does not decode', async () => {
    const l = limit();
    const response = await send({ method: 'GET', url: new URL(`${base}/data?enc=broken`), headers: {} }, l, agents);
    await expect(readBody(response, 1000, l)).rejects.toThrow(/^could not decode the gzip response: /);
    l.dispose();
  });

  it('sends the method, path, query and body', async () => {
    const l = limit();
    const response = await send(
      { method: 'POST', url: new URL(`${base}/echo?q=1`), headers: { 'content-type': 'text/plain' }, body: 'hé' },
      l,
      agents
    );
    expect((await readBody(response, 1000, l)).bytes.toString()).toBe('POST /echo?q=1 hé');
    l.dispose();
  });

  it.each(['ftp://example.com/x', 'file:///etc/passwd'])('refuses %s', async (url) => {
    const l = limit();
    await expect(send({ method: 'GET', url: new URL(url), headers: {} }, l, agents)).rejects.toThrow(
      `${new URL(url).protocol} URLs are not supported (http and https are)`
    );
    l.dispose();
  });

  it.each([
    { given: 'a small body', path: '/data', destroyed: false },
    { given: 'a body over 64 KiB', path: '/big', destroyed: true }
  ])('discards $given (keeping the connection only when small)', async ({ path, destroyed }) => {
    const l = limit();
    const response = await send({ method: 'GET', url: new URL(`${base}${path}`), headers: {} }, l, agents);
    discard(response);
    // Drained to its end, or destroyed: whichever discard chose has happened.
    await waitFor(() => response.body.ended || response.body.destroyed, 5000, 'the body to be drained or destroyed');
    expect(response.body.destroyed).toBe(destroyed);
    l.dispose();
  });
});

describe('TokenCache', () => {
  const signal = new AbortController().signal;
  const env = { ID: 'app', SECRET: 's3' };

  it('fetches once per client and scopes, shares a pending fetch, and sends scopes only when given', async () => {
    const cache = new TokenCache();
    tokenRequests.length = 0;
    const creds = { clientId: '${ID}', clientSecret: '${SECRET}' };
    const [a, b] = await Promise.all([cache.token(creds, `${base}/token`, env, signal), cache.token(creds, `${base}/token`, env, signal)]);
    expect(a).toBe('tok1');
    expect(b).toBe('tok1');
    expect(await cache.token(creds, `${base}/token`, env, signal)).toBe('tok1');
    expect(tokenRequests).toEqual([{ auth: `Basic ${Buffer.from('app:s3').toString('base64')}`, body: 'grant_type=client_credentials' }]);
    expect(await cache.token({ ...creds, scopes: ['read', 'write'], tokenUrl: `${base}/token` }, undefined, env, signal)).toBe('tok2');
    expect(tokenRequests[1]!.body).toBe('grant_type=client_credentials&scope=read+write');
  });

  it('refetches a token that expires within the safety margin', async () => {
    const cache = new TokenCache();
    tokenRequests.length = 0;
    const creds = { clientId: 'c', clientSecret: 's', tokenUrl: `${base}/token?mode=short` };
    expect(await cache.token(creds, undefined, env, signal)).toBe('tok1');
    expect(await cache.token(creds, undefined, env, signal)).toBe('tok2');
  });

  it.each([
    { given: 'an unset variable', creds: { clientId: '${NOPE}', clientSecret: 's' }, url: 'default', want: 'NOPE is not set' },
    {
      given: 'no token URL anywhere',
      creds: { clientId: 'c', clientSecret: 's' },
      url: undefined,
      want: 'no token URL: set tokenUrl, or declare a clientCredentials flow in the document'
    },
    {
      given: 'a refusal',
      creds: { clientId: 'c', clientSecret: 's', tokenUrl: 'refuse' },
      url: undefined,
      want: 'the token endpoint answered 401 (invalid_client)'
    },
    {
      given: 'an answer without a token',
      creds: { clientId: 'c', clientSecret: 's', tokenUrl: 'empty' },
      url: undefined,
      want: 'the token endpoint answered 200'
    }
  ])('fails on $given, and does not cache the failure', async ({ creds, url, want }) => {
    const cache = new TokenCache();
    const withUrls = { ...creds, ...(creds.tokenUrl ? { tokenUrl: `${base}/token?mode=${creds.tokenUrl}` } : {}) };
    const defaultUrl = url === 'default' ? `${base}/token` : undefined;
    await expect(cache.token(withUrls, defaultUrl, env, signal)).rejects.toThrow(want);
    await expect(cache.token(withUrls, defaultUrl, env, signal)).rejects.toThrow(want);
  });
});
