/**
 * What the multi-instance suite runs behind nginx: the conformance example (sessions, subscriptions, elicitation,
 * input_required) plus a cached tool and a rate-limited one, served either by two `mcp-gen run --http` instances or
 * by one `run --http --workers 2`, all with the machine's Redis as the state store under a prefix of their own.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { buildArtifact, copyExample, type HttpProcess, startHttp } from '../helpers/e2e-server.js';
import { type Nginx, startNginx } from './nginx.js';

/** Calls of `limited` allowed per hour, across every instance. */
export const LIMITED_RATE = 4;

export interface Project {
  readonly artifact: string;
  /** The file behind test://watched-resource: writing it is a change every instance sees. */
  readonly watched: string;
}

/** The conformance example with `random` (cached, shared scope) and `limited` (LIMITED_RATE per hour) added. */
export async function buildProject(prefix: string): Promise<Project> {
  const dir = copyExample('conformance');
  const manifest = join(dir, 'mcp-gen.yaml');
  writeFileSync(join(dir, 'handlers', 'random.ts'), 'export default async () => `random ${Math.random()}`;\n');
  const doc = parseDocument(readFileSync(manifest, 'utf8'));
  const tools = doc.get('tools') as { add(v: unknown): void };
  tools.add(
    doc.createNode({
      name: 'random',
      description: 'A new random number on every run: equal answers come from the cache.',
      handler: './handlers/random.ts',
      annotations: { readOnlyHint: true },
      cache: { ttl: 600, scope: 'shared' }
    })
  );
  tools.add(doc.createNode({ name: 'limited', description: 'Rate limited.', template: 'allowed' }));
  doc.set('limits', doc.createNode({ tools: { limited: { tool: `${LIMITED_RATE}/hour` } } }));
  doc.set('state', doc.createNode({ prefix }));
  doc.set('transport', doc.createNode({ trustProxy: true, maxSessionsPerPrincipal: 1000 }));
  writeFileSync(manifest, doc.toString());
  return { artifact: await buildArtifact(manifest), watched: join(dir, 'assets', 'watched.txt') };
}

export interface Topology {
  readonly nginx: Nginx;
  /** The MCP endpoint through nginx. */
  readonly url: string;
  /** The processes behind nginx (two instances, or the primary of the workers). */
  readonly processes: HttpProcess[];
  /** Which backend served each `method` request of `session`, by its access line ("A"/"B", or the worker id). */
  servedBy(session: string, method: string): string[];
  /** Kills one backend that serves requests with SIGKILL (an instance, or a worker); resolves once it is gone. */
  killOne(): Promise<void>;
}

const serveArgs = (redis: string) => ['--state', redis, '--log-level', 'info', '--log-format', 'json'];

/** JSON log lines of a process (its stderr so far). */
function lines(p: HttpProcess): Array<Record<string, unknown>> {
  return p
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const hostPort = (url: string) => new URL(url).host;

export async function twoInstances(project: Project, redis: string): Promise<Topology> {
  const processes = await Promise.all([startHttp(project.artifact, serveArgs(redis)), startHttp(project.artifact, serveArgs(redis))]);
  const nginx = await startNginx(processes.map((p) => hostPort(p.url)));
  return {
    nginx,
    url: nginx.url,
    processes,
    servedBy: (session, method) =>
      processes.flatMap((p, i) =>
        lines(p)
          .filter((l) => l.session_id === session && l.http_method === method)
          .map(() => 'AB'[i]!)
      ),
    async killOne() {
      processes[0]!.child.kill('SIGKILL');
      await processes[0]!.exited;
    }
  };
}

export async function twoWorkers(project: Project, redis: string): Promise<Topology> {
  const primary = await startHttp(project.artifact, [...serveArgs(redis), '--workers', '2']);
  const nginx = await startNginx([hostPort(primary.url)]);
  return {
    nginx,
    url: nginx.url,
    processes: [primary],
    servedBy: (session, method) =>
      lines(primary)
        .filter((l) => l.session_id === session && l.http_method === method)
        .map((l) => String(l.worker)),
    async killOne() {
      const pid = Number(
        execFileSync('pgrep', ['-P', String(primary.child.pid)], { encoding: 'utf8' })
          .trim()
          .split('\n')[0]
      );
      process.kill(pid, 'SIGKILL');
      while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
