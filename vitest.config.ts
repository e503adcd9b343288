import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser tests have their own config and script (`npm run test:browser`, vitest.browser.config.ts).
    exclude: ['test/browser/**', 'node_modules/**'],
    // Integration tests spawn git and the CLI; two cores, so keep the pool small and timeouts generous.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
