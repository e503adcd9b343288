// Bundles the compiled CLI (dist/controller) into dist/cli/: a batchctl command spends most of its
// start-up resolving and compiling ~300 small ES modules (zod, pino, commander, ours); one bundle
// per command cut `batchctl list` from 0.41–0.49 s to 0.22–0.30 s on 2 cores (docs/benchmarks.md).
// Each command stays a chunk of its own, loaded on use, so `--help` does not load the engine.
import { rmSync } from 'node:fs';

import { build } from 'esbuild';

// Chunk names carry content hashes: without this, every build would leave the last one's behind.
rmSync('dist/cli', { recursive: true, force: true });

await build({
  entryPoints: { main: 'dist/controller/cli/main.js' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // A native addon cannot be bundled: it is loaded from node_modules as before.
  external: ['better-sqlite3'],
  // The CommonJS dependencies (pino, commander, picomatch) call require() for Node's own modules;
  // an ES module has no require, so each chunk gets one.
  banner: { js: "import { createRequire as __batchctlRequire } from 'node:module'; const require = __batchctlRequire(import.meta.url);" },
  logLevel: 'warning',
});
