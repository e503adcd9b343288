import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The stress and browser tests have their own configs and scripts (vitest.stress.config.ts,
    // vitest.browser.config.ts): never run twice.
    exclude: ['**/node_modules/**', 'test/stress/**', 'test/browser/**'],
    // Integration tests spawn git and the CLI; two cores, so keep the pool small and timeouts generous.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
