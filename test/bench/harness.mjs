// Shared by the benches that start servers as child processes and compare them under load in one run.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';

export class HarnessError extends Error {}

export const log = (line) => process.stderr.write(`${line}\n`);

const children = new Set();

/** Kills every child still running (on exit, on a signal, after a failure). */
export function killChildren() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A number from the environment, or `fallback`; positive unless `allowZero` (then 0 is taken too). */
export const envNumber = (name, fallback, { allowZero = false } = {}) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero))
    throw new HarnessError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${JSON.stringify(v)}`);
  return n;
};

/** BENCH_SECONDS / BENCH_ROUNDS / BENCH_WARMUP / BENCH_CONNECTIONS for interleavedLoad; `rounds`: this bench's default. */
export const loadSettings = ({ rounds = 10 } = {}) => ({
  seconds: envNumber('BENCH_SECONDS', 10),
  rounds: Math.round(envNumber('BENCH_ROUNDS', rounds)),
  warmup: envNumber('BENCH_WARMUP', 2),
  connections: Math.round(envNumber('BENCH_CONNECTIONS', 50))
});

export const MODERN = '2026-07-28';
export const META = { 'io.modelcontextprotocol/protocolVersion': MODERN, 'io.modelcontextprotocol/clientCapabilities': {} };

/** A 2026-07-28 POST: `_meta` in the body, the matching MCP-Protocol-Version / Mcp-Method / Mcp-Name headers. */
export function modernRequest(method, params = {}, name) {
  return {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: META } }),
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...(name ? { 'mcp-name': name } : {})
    }
  };
}

/**
 * Starts a server process and resolves once its stdout matched `pattern` (group 1: its URL), with the time that
 * took. Its stderr is read and the last 8 KB kept for errors; with `stderrFile` it goes to that file instead (a
 * server logging every request would otherwise make this process, which also generates the load, read its log).
 */
export function startServer(label, args, pattern, env = process.env, { stderrFile } = {}) {
  const started = performance.now();
  const err = stderrFile === undefined ? 'pipe' : openSync(stderrFile, 'w');
  const child = track(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', err], env }));
  if (typeof err === 'number') closeSync(err);
  let stderr = '';
  const tail = () => (stderrFile === undefined ? stderr : readFileSync(stderrFile, 'utf8').slice(-8000));
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c) => (stderr = (stderr + c).slice(-8000)));
  return new Promise((ready, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new HarnessError(`${label} did not start within 30 s\n${tail()}`)), 30_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => {
      if (out === null) return;
      out += c;
      const m = pattern.exec(out);
      if (!m) return;
      out = null;
      clearTimeout(timer);
      const startMs = performance.now() - started;
      ready({ label, child, url: m[1], startMs, stderr: tail, stop: () => stop(child) });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new HarnessError(`${label} exited early (${code ?? signal})\n${tail()}`));
    });
  });
}

export function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => (clearTimeout(force), done()));
    child.kill('SIGTERM');
  });
}

/** CPU time (utime + stime, in clock ticks) a process has used so far, or undefined off Linux. */
export function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * CPU ticks of a process and of its children (a `run --workers` primary and its workers), or undefined off Linux.
 * Children are read from /proc/<pid>/task/<pid>/children: those that exited meanwhile are not counted.
 */
export function treeCpuTicks(pid) {
  const own = cpuTicks(pid);
  if (own === undefined) return undefined;
  let children = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // No children file (another kernel): the process alone.
  }
  return children.reduce((sum, child) => sum + (treeCpuTicks(child) ?? 0), own);
}

let clkTck;
/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ). */
export function clockTicks() {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
export const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

/** A Markdown table; `align` has one letter per column, l or r (default: the first left, the rest right). */
export function table(headers, rows, align = 'l' + 'r'.repeat(headers.length - 1)) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const rule = [...align].map((a) => (a === 'r' ? '---:' : '---'));
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}

/** Replaces one bench's own section (between `<!-- NAME:start -->` and `<!-- NAME:end -->`) of a Markdown file, or appends it. */
export function writeSection(file, name, section) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const startMarker = `<!-- ${name}:start -->`;
  const endMarker = `<!-- ${name}:end -->`;
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  const next =
    start !== -1 && end > start
      ? current.slice(0, start) + section.trimEnd() + current.slice(end + endMarker.length)
      : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

/**
 * Loads each target in turn for `rounds` interleaved slices (so a change in the machine's load hits every target
 * alike), counting requests and the server process's CPU time (with `tree: true`, its children's too). Every answer must be a 2xx; a target's `stderr()`,
 * when it has one, goes into the error. `settings.pauseMs`: a pause after each slice (none by default).
 */
export async function interleavedLoad(targets, settings) {
  const { default: autocannon } = await import('autocannon');
  const run = (t, seconds) => autocannon({ url: t.url, ...t.request, connections: settings.connections, duration: seconds });
  for (const t of targets) await run(t, settings.warmup);
  const stats = targets.map(() => ({ total: 0, seconds: 0, bad: 0, ticks: 0, rounds: [], cpuRounds: [], p50: [], p99: [] }));
  const slice = settings.seconds / settings.rounds;
  for (let round = 0; round < settings.rounds; round++) {
    for (let k = 0; k < targets.length; k++) {
      const i = (round + k) % targets.length;
      const cpu = targets[i].tree ? treeCpuTicks : cpuTicks;
      const before = cpu(targets[i].pid);
      const r = await run(targets[i], slice);
      const ticks = (cpu(targets[i].pid) ?? NaN) - (before ?? NaN);
      const st = stats[i];
      st.ticks += ticks;
      st.cpuRounds.push(((ticks / clockTicks()) * 1e6) / r.requests.total);
      st.rounds.push(r.requests.total / r.duration);
      st.total += r.requests.total;
      st.seconds += r.duration;
      st.bad += r.errors + r.timeouts + r.non2xx;
      st.p50.push(r.latency.p50);
      st.p99.push(r.latency.p99);
      if (settings.pauseMs) await new Promise((done) => setTimeout(done, settings.pauseMs));
    }
  }
  return targets.map((t, i) => {
    const st = stats[i];
    if (st.bad || !st.total)
      throw new HarnessError(`${t.label}: ${st.bad} errors, timeouts or non-2xx answers under load${t.stderr ? `\n${t.stderr()}` : ''}`);
    const cpuMicros = ((st.ticks / clockTicks()) * 1e6) / st.total;
    return {
      label: t.label,
      rps: st.total / st.seconds,
      p50: median(st.p50),
      p99: median(st.p99),
      rounds: st.rounds,
      cpuRounds: st.cpuRounds,
      cpuMicros
    };
  });
}
