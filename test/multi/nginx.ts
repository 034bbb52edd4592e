/**
 * A real nginx (the Debian package; .ci/run installs it when missing) run unprivileged from a temporary prefix,
 * round-robin with no stickiness in front of mcp-gen instances. The config is docs/deploy.md's, as tested: the
 * test reads it from there (NGINX_SITE), so the documentation cannot drift from what passes.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repo, tempDir } from '../helpers/e2e-server.js';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => {
  try {
    execFileSync(p, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

/** The `upstream` and `server` blocks of docs/deploy.md's nginx section, between its two marker comments. */
export function documentedSite(): string {
  const doc = readFileSync(join(repo, 'docs', 'deploy.md'), 'utf8');
  const m = /# begin: nginx site \(tested\)\n([\s\S]*?)# end: nginx site \(tested\)/.exec(doc);
  if (!m) throw new Error('docs/deploy.md has no "# begin: nginx site (tested)" … "# end: nginx site (tested)" block');
  return m[1]!;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Nginx {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts nginx on a free port with the documented site, its upstream servers replaced by `backends`
 * (host:port). Runs in the foreground (`daemon off`) as a child of the test, so it ends with it.
 */
export async function startNginx(backends: readonly string[], path = '/mcp'): Promise<Nginx> {
  if (!NGINX) throw new Error('nginx is not installed: .ci/run installs it (apt-get install -y nginx)');
  const dir = tempDir('mcpgen-nginx-');
  for (const d of ['logs', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  const port = await freePort();
  const site = documentedSite()
    .replace(/server 127\.0\.0\.1:3001;\n(\s*)server 127\.0\.0\.1:3002;/, (_m, indent: string) =>
      backends.map((b) => `server ${b};`).join(`\n${indent}`)
    )
    .replace('listen 80;', `listen 127.0.0.1:${port};`);
  if (!site.includes(backends[0]!)) throw new Error('the documented site no longer has the two upstream servers this test replaces');
  const root = process.getuid?.() === 0 ? 'user root;\n' : '';
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${root}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
${site}
}
`
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'pipe' });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await waitListening(
    port,
    () => child.exitCode !== null,
    () => `${err}${readLog(dir)}`
  );
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
    }
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'logs', 'error.log'), 'utf8');
  } catch {
    return '';
  }
}

async function waitListening(port: number, died: () => boolean, why: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (died()) throw new Error(`nginx exited at start:\n${why()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port} within 10 s:\n${why()}`);
}
