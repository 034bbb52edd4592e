import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The multi-instance suite needs nginx: `npm run test:multi` (vitest.multi.config.ts).
    exclude: ['test/multi/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['generators/**/*.ts', 'runtime/**/*.ts'],
      // Entry scripts: they run as processes (the e2e tests), never imported.
      exclude: ['generators/cli/main.ts', 'generators/cli/bundle-main.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: { lines: 90 }
    }
  }
});
