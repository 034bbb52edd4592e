import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['generators/**/*.ts', 'runtime/**/*.ts'],
      exclude: ['generators/cli/main.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: { lines: 90 }
    }
  }
});
