import { defineConfig } from 'vitest/config';

/** The multi-instance suite (nginx, several mcp-gen processes, Redis): `npm run test:multi`, run by .ci/run. */
export default defineConfig({
  test: {
    include: ['test/multi/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // One file at a time: each starts its own nginx and servers on a 2-core machine.
    fileParallelism: false
  }
});
