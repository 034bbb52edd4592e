/** `--workers N|auto`, the state store it asks about, and the cases it refuses (generators/cli/workers.ts). */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../generators/cli/args.js';
import { checkWorkers, stateStoreOf, workerCount, type StateStore } from '../../generators/cli/workers.js';

describe('workerCount', () => {
  it.each([
    { given: undefined, want: undefined },
    { given: '1', want: 1 },
    { given: ' 3 ', want: 3 },
    { given: 'auto', want: 6 }
  ])('--workers $given → $want', ({ given, want }) => {
    expect(workerCount(given === undefined ? {} : { workers: given }, () => 6)).toBe(want);
  });

  it.each(['0', '-2', '1.5', 'abc', '', ' ', 'Auto', '2x'])('--workers "%s" is a usage error', (given) => {
    expect(() => workerCount({ workers: given })).toThrow(UsageError);
    expect(() => workerCount({ workers: given })).toThrow(/--workers must be a whole number of workers \(1 or more\) or auto/);
  });
});

describe('stateStoreOf', () => {
  const artifact = (state?: unknown) => ({ artifact: (state === undefined ? {} : { state }) as never });
  it.each([
    { name: 'nothing set', loaded: artifact(), values: {}, env: {}, want: 'memory' },
    { name: 'the manifest', loaded: artifact({ store: 'redis://m:6379' }), values: {}, env: {}, want: { url: 'redis://m:6379' } },
    { name: 'the manifest says memory', loaded: artifact({ store: 'memory' }), values: {}, env: {}, want: 'memory' },
    {
      name: 'MCPGEN_STATE wins over the manifest',
      loaded: artifact({ store: 'redis://m' }),
      values: {},
      env: { MCPGEN_STATE: 'rediss://e' },
      want: { url: 'rediss://e' }
    },
    {
      name: 'an empty MCPGEN_STATE is unset',
      loaded: artifact({ store: 'redis://m' }),
      values: {},
      env: { MCPGEN_STATE: '' },
      want: { url: 'redis://m' }
    },
    {
      name: '--state wins over all',
      loaded: artifact({ store: 'redis://m' }),
      values: { state: 'memory' },
      env: { MCPGEN_STATE: 'redis://e' },
      want: 'memory'
    },
    { name: 'a state without a store', loaded: artifact({}), values: {}, env: {}, want: 'memory' }
  ])('$name', ({ loaded, values, env, want }) => {
    expect(stateStoreOf(loaded, values, env)).toEqual(want);
  });
});

describe('checkWorkers', () => {
  const shared: StateStore = { url: 'redis://127.0.0.1:6379' };
  it.each([
    { count: 1, stdio: false, store: 'memory' as StateStore },
    { count: 2, stdio: false, store: shared },
    { count: 8, stdio: false, store: shared }
  ])('accepts $count workers over HTTP with $store', ({ count, stdio, store }) => {
    expect(() => checkWorkers(count, stdio, store)).not.toThrow();
  });

  it.each([
    { count: 1, stdio: true, store: 'memory' as StateStore, want: /--workers needs --http/ },
    { count: 2, stdio: true, store: shared, want: /--workers needs --http/ },
    { count: 2, stdio: false, store: 'memory' as StateStore, want: /--workers 2 needs a shared state store, and state\.store is memory/ }
  ])('refuses $count workers (stdio: $stdio, $store)', ({ count, stdio, store, want }) => {
    expect(() => checkWorkers(count, stdio, store)).toThrow(want);
  });
});
