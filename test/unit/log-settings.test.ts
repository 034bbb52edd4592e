/** `mcp-gen run`/`dev` log settings: --log-level, then MCPGEN_LOG_LEVEL, then transport.logLevel; --log-format, else by terminal. */
import { describe, expect, it } from 'vitest';
import type { LoadedArtifact } from '../../runtime/artifact/load.js';
import { logSettings } from '../../generators/cli/commands/run.js';

const manifest = (logLevel: string) => ({ artifact: { transport: { logLevel } } }) as unknown as Pick<LoadedArtifact, 'artifact'>;

describe('logSettings', () => {
  const cases: {
    name: string;
    flags: Record<string, string>;
    env: Record<string, string>;
    manifestLevel: string;
    terminal: 'json' | 'pretty';
    want: { level: string; format: string };
  }[] = [
    { name: 'the manifest alone', flags: {}, env: {}, manifestLevel: 'warn', terminal: 'json', want: { level: 'warn', format: 'json' } },
    {
      name: 'the env over the manifest',
      flags: {},
      env: { MCPGEN_LOG_LEVEL: 'debug' },
      manifestLevel: 'warn',
      terminal: 'json',
      want: { level: 'debug', format: 'json' }
    },
    {
      name: 'the flag over the env',
      flags: { 'log-level': 'error' },
      env: { MCPGEN_LOG_LEVEL: 'debug' },
      manifestLevel: 'warn',
      terminal: 'json',
      want: { level: 'error', format: 'json' }
    },
    {
      name: 'an empty env variable counts as unset',
      flags: {},
      env: { MCPGEN_LOG_LEVEL: '' },
      manifestLevel: 'info',
      terminal: 'json',
      want: { level: 'info', format: 'json' }
    },
    {
      name: 'pretty at a terminal',
      flags: {},
      env: {},
      manifestLevel: 'info',
      terminal: 'pretty',
      want: { level: 'info', format: 'pretty' }
    },
    {
      name: 'the format flag over the terminal default',
      flags: { 'log-format': 'json' },
      env: {},
      manifestLevel: 'info',
      terminal: 'pretty',
      want: { level: 'info', format: 'json' }
    }
  ];
  it.each(cases)('$name', ({ flags, env, manifestLevel, terminal, want }) => {
    expect(logSettings(flags, manifest(manifestLevel), env, terminal)).toEqual(want);
  });

  it.each([
    [{ 'log-level': 'loud' }, {}, '--log-level must be one of debug, info, warn, error'],
    [{}, { MCPGEN_LOG_LEVEL: 'trace' }, 'MCPGEN_LOG_LEVEL must be one of debug, info, warn, error'],
    [{ 'log-format': 'xml' }, {}, '--log-format must be one of json, pretty']
  ])('refuses %j %j', (flags, env, message) => {
    expect(() => logSettings(flags, manifest('info'), env, 'json')).toThrow(message);
  });
});
