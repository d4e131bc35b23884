import { defineConfig } from 'vitest/config';

// Checks on the full real-data sets kept beside the checkout in ../shared (CI runs them as a step of
// their own); `npm test` needs nothing beside the checkout.
export default defineConfig({
  test: {
    include: ['test/shared-data/**/*.test.ts'],
    testTimeout: 120_000,
    maxWorkers: 2,
  },
});
