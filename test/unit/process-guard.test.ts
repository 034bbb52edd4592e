/** The CLI's process-level guard: a rejection nobody handled is logged, and the server process lives on. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo, requireDist } from '../helpers/e2e-server.js';

/** stderr of a child whose stderr is a pipe: the server log's JSON lines, each parsed (a line that is not JSON fails). */
function jsonLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('logUnhandledRejections', () => {
  it('logs an unhandled rejection instead of ending the process', () => {
    requireDist();
    const guard = join(repo, 'dist', 'generators', 'cli', 'process-guard.js');
    const log = join(repo, 'dist', 'runtime', 'log.js');
    const script = `
      const { logUnhandledRejections } = await import(${JSON.stringify(guard)});
      const { createLogger } = await import(${JSON.stringify(log)});
      logUnhandledRejections(createLogger('info'));
      Promise.reject(new Error('boom from one request'));
      setTimeout(() => console.log('still serving'), 20);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(r.stdout).toContain('still serving');
    const line = jsonLines(r.stderr).find((l) => l.level === 'error');
    expect(line?.msg).toMatch(/^unhandled promise rejection \(a bug; please report it\): Error: boom from one request\n\s+at /);
    expect(r.status).toBe(0);
  });
  it('without it, the same rejection ends the process (the default it replaces)', () => {
    const r = spawnSync(
      process.execPath,
      ['-e', "Promise.reject(new Error('boom')); setTimeout(() => console.log('still serving'), 20);"],
      { encoding: 'utf8', timeout: 10_000 }
    );
    expect(r.stdout).not.toContain('still serving');
    expect(r.status).not.toBe(0);
  });
});

describe('logProcessWarnings', () => {
  it("sends Node's own warnings through the server log as JSON lines, and Node prints none itself", () => {
    requireDist();
    const guard = join(repo, 'dist', 'generators', 'cli', 'process-guard.js');
    const log = join(repo, 'dist', 'runtime', 'log.js');
    const script = `
      const { logProcessWarnings } = await import(${JSON.stringify(guard)});
      const { createLogger } = await import(${JSON.stringify(log)});
      logProcessWarnings(createLogger('info'));
      process.emitWarning('handlers should not do this', { type: 'DeprecationWarning', code: 'MCPGEN_TEST' });
      process.emitWarning('a plain one');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stderr).map(({ time, ...rest }) => (expect(typeof time).toBe('string'), rest));
    expect(lines).toEqual([
      { level: 'warn', msg: 'node: DeprecationWarning: handlers should not do this', warning: 'DeprecationWarning', code: 'MCPGEN_TEST' },
      { level: 'warn', msg: 'node: Warning: a plain one', warning: 'Warning' }
    ]);
  });
});
