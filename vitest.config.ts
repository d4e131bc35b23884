import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/shared-data/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests open brokers and SQLite files; two workers match the two cores here.
    maxWorkers: 2,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      // CI fails below these: just under what the full suite reached when they were set (lines 94.36,
      // statements 92.47, functions 93.48, branches 81.25 %). Raise them as tests are added.
      thresholds: { lines: 93, statements: 91, functions: 92, branches: 80 },
    },
  },
});
