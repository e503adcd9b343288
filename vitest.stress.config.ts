import { defineConfig } from 'vitest/config';

// The stress tests (test/stress, docs/reliability.md): `npm run test:stress:short` in CI, `npm run stress`
// (STRESS_LONG=1) for the long counts. The main config leaves them out so they never run twice.
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    pool: 'forks',
    // one test file at a time: each loads the two cores on its own, and the figures stay comparable
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 30 * 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
