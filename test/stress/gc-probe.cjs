// Preloaded into the served process by test/stress/load.test.ts (NODE_OPTIONS=--expose-gc --require):
// on SIGUSR2, a full garbage collection, then one line on stderr with the memory after it. RSS read
// right after a collection tells growth that stays (a leak) from garbage not yet collected.
'use strict';
process.on('SIGUSR2', () => {
  global.gc();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.stderr.write(`gc-probe ${JSON.stringify({ rss, heapUsed, external })}\n`);
});
