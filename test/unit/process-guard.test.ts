/** The CLI's process-level guard: a rejection nobody handled is logged, and the server process lives on. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo, requireDist } from '../helpers/e2e-server.js';

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
    expect(r.stderr).toContain('mcp-gen error: unhandled promise rejection (a bug; please report it): Error: boom from one request');
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
