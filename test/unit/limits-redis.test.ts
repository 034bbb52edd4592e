import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../runtime/artifact/load.js';
import type { McpCore } from '../../runtime/core/server.js';
import type { Channel } from '../../runtime/core/context.js';
import { createLogger } from '../../runtime/log.js';
import { RedisStore } from '../../runtime/security/limits/redis-store.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

const quiet = createLogger('error', () => {});
const modernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const channel = (principal?: string): Channel => ({
  notify: () => {},
  ...(principal ? { principal: { name: principal, scopes: [], claims: {} } } : {})
});

async function serverWith(limits: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mcpgen-limits-'));
  const manifest = join(dir, 'mcp-gen.yaml');
  writeFileSync(
    manifest,
    `server: { name: limits-${randomUUID()}, version: 1.0.0 }
${limits}
tools:
  - name: echo
    description: Echo.
    input: { properties: { text: { type: string } } }
    template: "{{text}}"
  - name: other
    description: Another tool.
    template: "other"
`
  );
  return buildToTemp(manifest);
}

async function call(core: McpCore, tool = 'echo', principal?: string) {
  const reply = await core.request(
    1,
    'tools/call',
    { name: tool, arguments: tool === 'echo' ? { text: 'hi' } : {}, _meta: modernMeta },
    channel(principal),
    new AbortController().signal
  );
  const body = JSON.parse(String(reply.body)) as {
    result?: { isError?: boolean; content: { text: string }[] };
    error?: { code: number; message: string };
  };
  return {
    status: reply.status,
    headers: reply.headers,
    text: body.error
      ? `error ${body.error.code}`
      : body.result!.isError
        ? `isError ${body.result!.content[0]!.text}`
        : body.result!.content[0]!.text
  };
}

/** No Redis needed: a store nobody listens on behaves like Redis being down. */
describe('Redis store unreachable', () => {
  const down = 'redis://127.0.0.1:1';
  it.each([
    ['closed (default)', `limits: { store: "${down}", global: 10/minute }`, { status: 503, text: 'error -32030' }],
    ['open', `limits: { store: "${down}", onStoreError: open, global: 10/minute }`, { status: 200, text: 'hi' }]
  ])('%s', async (_name, limits, want) => {
    const core = await createCore(await loadArtifact(await serverWith(limits)), { log: quiet });
    try {
      const got = await call(core);
      expect(got).toMatchObject(want);
      if (want.status === 503) expect(got.headers).toEqual({ 'retry-after': '5' });
    } finally {
      core.close();
    }
  });

  it('a store URL from the environment is resolved at start; an unset one stops the start with a clear message', async () => {
    const dir = await serverWith('limits: { store: "${MCPGEN_TEST_LIMIT_STORE}", global: 10/minute }');
    await expect(createCore(await loadArtifact(dir), { log: quiet, env: {} })).rejects.toThrow(
      'limits.store uses MCPGEN_TEST_LIMIT_STORE, which is not set: set it, or use store: memory'
    );
    await expect(createCore(await loadArtifact(dir), { log: quiet, env: { MCPGEN_TEST_LIMIT_STORE: 'http://x' } })).rejects.toThrow(
      'limits.store must be memory or a redis:// URL, got "http://x"'
    );
    const core = await createCore(await loadArtifact(dir), { log: quiet, env: { MCPGEN_TEST_LIMIT_STORE: 'memory' } });
    expect((await call(core)).text).toBe('hi');
    core.close();
  });
});

describe('limit stores across a swap (mcp-gen dev)', () => {
  it('keep the buckets while the store stays the same, and switch when it changes', async () => {
    const dir = await serverWith('limits: { global: 2/hour }');
    const core = await createCore(await loadArtifact(dir), { log: quiet });
    try {
      expect((await call(core)).status).toBe(200);
      await core.swap(await loadArtifact(dir));
      expect((await call(core)).status).toBe(200);
      expect((await call(core)).status).toBe(429); // the rebuild did not hand out a fresh allowance
      await core.swap(await loadArtifact(await serverWith('limits: { store: "redis://127.0.0.1:1", global: 2/hour }')));
      expect((await call(core)).status).toBe(503);
      await core.swap(await loadArtifact(await serverWith('')));
      expect((await call(core)).status).toBe(200);
    } finally {
      core.close();
    }
  });
});

const enabled = process.env.MCP_GEN_TEST_REDIS === '1' || !!process.env.MCPGEN_TEST_REDIS;
const url = process.env.MCPGEN_TEST_REDIS || 'redis://127.0.0.1:6379';

if (!enabled) {
  describe.skip(
    'rate limits on the real Redis (skipped: set MCP_GEN_TEST_REDIS=1 to run against ' +
      'redis://127.0.0.1:6379; .ci/run sets MCPGEN_TEST_REDIS)',
    () => {
      it('needs Redis', () => undefined);
    }
  );
} else {
  describe('rate limits on the real Redis', () => {
    const opened: { close(): unknown }[] = [];
    const ns = `mcpgen-test:${randomUUID()}:`;
    const store = async () => {
      const s = await RedisStore.connect(url, quiet);
      opened.push(s);
      return s;
    };
    afterAll(async () => {
      for (const o of opened) await o.close();
    });

    it('two instances share one limit: the Nth call is refused whichever instance serves it', async () => {
      const dir = await serverWith(`limits: { store: "${url}", global: 4/minute, tools: { other: { tool: 1/minute } } }`);
      const [a, b] = [await createCore(await loadArtifact(dir), { log: quiet }), await createCore(await loadArtifact(dir), { log: quiet })];
      opened.push(a, b);
      const got = [await call(a), await call(b), await call(a, 'other'), await call(b, 'other'), await call(b), await call(a)];
      // The refused call of `other` takes no global token: 4 calls run, the 5th global one is refused.
      expect(got.map((g) => g.status)).toEqual([200, 200, 200, 200, 200, 429]);
      expect(got[3]!.text).toMatch(
        /^isError Rate limit reached for tool other \(1\/minute for this tool, all callers together\)\. Retry in 60 seconds/
      );
      expect(got[5]).toMatchObject({ text: 'error -32029', headers: { 'retry-after': expect.stringMatching(/^(14|15)$/) } });
    });

    it('per principal, across instances', async () => {
      const dir = await serverWith(`limits: { store: "${url}", principal: 1/hour }`);
      const [a, b] = [await createCore(await loadArtifact(dir), { log: quiet }), await createCore(await loadArtifact(dir), { log: quiet })];
      opened.push(a, b);
      expect((await call(a, 'echo', 'ann')).status).toBe(200);
      expect((await call(b, 'echo', 'bob')).status).toBe(200);
      expect((await call(b, 'echo', 'ann')).status).toBe(429);
      expect((await call(a, 'echo', 'bob')).status).toBe(429);
    });

    it('takes from every bucket or from none, atomically', async () => {
      const s = await store();
      const wide = { key: `${ns}wide`, capacity: 3, perMs: 1 / 3_600_000 };
      const narrow = { key: `${ns}narrow`, capacity: 1, perMs: 1 / 3_600_000 };
      expect(await s.admit([wide, narrow])).toEqual({ ok: true });
      expect(await s.admit([wide, narrow])).toEqual({ ok: false, failed: 1, retryAfterMs: expect.any(Number) });
      expect(await s.admit([wide])).toEqual({ ok: true });
      expect(await s.admit([wide])).toEqual({ ok: true });
      const refused = await s.admit([wide]);
      expect(refused).toMatchObject({ ok: false, failed: 0 });
      expect(refused.ok === false && refused.retryAfterMs).toBeGreaterThan(3_500_000);
    });

    it('many concurrent admissions from two connections never overspend a bucket', async () => {
      const [s1, s2] = [await store(), await store()];
      const bucket = { key: `${ns}race`, capacity: 25, perMs: 1 / 3_600_000 };
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? s1 : s2).admit([bucket])));
      expect(results.filter((r) => r.ok)).toHaveLength(25);
    });

    it('shares concurrency slots across instances; a slot frees on release or when its lease expires', async () => {
      const [s1, s2] = [await store(), await store()];
      const lease = (id: string, ttlMs = 30_000) => ({ key: `${ns}running`, max: 2, id, ttlMs });
      expect(await s1.admit([], lease('a'))).toEqual({ ok: true });
      expect(await s2.admit([], lease('b', 150))).toEqual({ ok: true });
      expect(await s2.admit([], lease('c'))).toEqual({ ok: false, failed: -1, retryAfterMs: 0 });
      await s1.release(lease('a'));
      expect(await s2.admit([], lease('c'))).toEqual({ ok: true });
      await s1.renew(lease('c'));
      // 'b' was never renewed: its slot comes back once the lease expires (a crashed instance's call).
      const deadline = Date.now() + 3000;
      let retaken = await s1.admit([], lease('d'));
      while (!retaken.ok && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        retaken = await s1.admit([], lease('d'));
      }
      expect(retaken).toEqual({ ok: true });
    });
  });
}
