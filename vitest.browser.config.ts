// The dashboard's browser tests (test/browser): the built `batchctl serve` driven through Debian's
// chromium by playwright-core. One worker: each file runs a server and a browser of its own.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two shared cores: a 2,000-file commit or a rollback may take a while; polls wait for a condition, never a time.
    expect: { poll: { timeout: 60_000, interval: 100 } },
    reporters: ['default'],
  },
});
