/**
 * `mcp-gen run` over HTTP, in-process: the flag and transport errors a user can make (ports, hosts, TLS
 * files) become usage errors naming the problem; a good configuration prints the connection help and
 * shuts down on SIGINT.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../generators/cli/args.js';
import { serve, tlsFiles } from '../../generators/cli/commands/run.js';
import { loadArtifact, type LoadedArtifact } from '../../runtime/artifact/load.js';
import { createLogger } from '../../runtime/log.js';
import { buildToTemp } from '../helpers/artifact.js';
import { createCore } from '../../runtime/serve.js';

const quiet = createLogger('error', () => {});
let dir: string;
let loaded: LoadedArtifact;
let tlsLoaded: LoadedArtifact;
let busyPort: number;
const busy = createServer();

function manifest(transport: string): string {
  writeFileSync(join(dir, 'junk.pem'), 'not a pem file\n');
  const file = join(dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `server: { name: runner, version: 1.0.0 }\n${transport}tools:\n  - { name: t, description: t, template: ok }\n`);
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcpgen-run-'));
  loaded = await loadArtifact(await buildToTemp(manifest('')));
  tlsLoaded = await loadArtifact(
    await buildToTemp(manifest('transport: { type: http, port: 0, tls: { cert: ./junk.pem, key: ./junk.pem } }\n'))
  );
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => busy.close());

describe('serve over HTTP refuses', () => {
  it.each([
    { given: { http: true, port: '70000' }, want: 'invalid port 70000' },
    { given: { http: true, port: '-1' }, want: 'invalid port -1' },
    { given: { http: true, port: '1.5' }, want: 'invalid port 1.5' },
    { given: { http: true, port: 'busy' }, want: 'is already in use: choose another with --port (0 picks a free one)' },
    { given: { http: true, port: '0', host: '192.0.2.1' }, want: 'cannot listen on 192.0.2.1:0 (EADDRNOTAVAIL)' },
    {
      given: { http: true, port: '0', 'tls-cert': '/nonexistent/c.pem' },
      want: '--tls-cert and --tls-key go together: give both, or neither'
    },
    {
      given: { http: true, port: '0', 'tls-cert': '/nonexistent/c.pem', 'tls-key': '/nonexistent/k.pem' },
      want: 'cannot read the TLS certificate /nonexistent/c.pem (ENOENT)'
    }
  ])('$given', async ({ given, want }) => {
    const values = given.port === 'busy' ? { ...given, port: String(busyPort) } : given;
    const core = await createCore(loaded, { log: quiet });
    const error = await serve(core, loaded, values, quiet).catch((e: unknown) => e);
    core.close();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(want);
  });

  it('a malformed PEM from transport.tls (relative to the manifest)', async () => {
    const core = await createCore(tlsLoaded, { log: quiet });
    const error = await serve(core, tlsLoaded, {}, quiet).catch((e: unknown) => e);
    core.close();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^invalid TLS certificate or key: /);
  });
});

describe('tlsFiles', () => {
  it('reads transport.tls relative to the manifest, and flags win', () => {
    const pem = readPemPair();
    expect(tlsFiles({}, loaded)).toBeUndefined();
    expect(tlsFiles({}, tlsLoaded)).toEqual({ cert: Buffer.from('not a pem file\n'), key: Buffer.from('not a pem file\n') });
    expect(tlsFiles({ 'tls-cert': pem.cert, 'tls-key': pem.key }, tlsLoaded)!.cert.toString()).toContain('BEGIN CERTIFICATE');
  });
});

function readPemPair(): { cert: string; key: string } {
  const cert = join(dir, 'c.pem');
  const key = join(dir, 'k.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert
    ],
    { stdio: 'ignore' }
  );
  return { cert, key };
}

describe('serve over HTTP', () => {
  it('prints the connection help with the listening URL, and stops on SIGINT', async () => {
    const pem = readPemPair();
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const before = new Set(process.listeners('SIGINT'));
    const beforeTerm = new Set(process.listeners('SIGTERM'));
    const core = await createCore(loaded, { log: quiet });
    try {
      const served = serve(core, loaded, { http: true, port: '0', host: '127.0.0.1', 'tls-cert': pem.cert, 'tls-key': pem.key }, quiet);
      await vi.waitFor(() => expect(write).toHaveBeenCalled());
      const help = String(write.mock.calls[0]![0]);
      expect(help).toMatch(/^mcp-gen: serving runner at https:\/\/127\.0\.0\.1:\d+\/mcp\n/);
      expect(help).toContain('"type": "http"');
      const stop = process.listeners('SIGINT').find((l) => !before.has(l));
      expect(stop).toBeTypeOf('function');
      (stop as () => void)();
      await expect(served).resolves.toBeUndefined();
    } finally {
      write.mockRestore();
      for (const l of process.listeners('SIGTERM')) if (!beforeTerm.has(l)) process.removeListener('SIGTERM', l);
    }
  });
});
