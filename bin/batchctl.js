#!/usr/bin/env node
// Launcher for the bundled CLI (dist/cli/batchctl.cjs, made by `npm run build`). Compiling ~2 MB of
// JavaScript is most of a command's start-up, so the bundle runs from the V8 code cache the build
// wrote beside it (scripts/bundle.mjs). V8 rejects a cache made by another Node and compiles as
// usual, but it knows the source only by its length: the cache's name carries the bundle's size and
// modification time, so a rebuilt bundle never meets the cache of the one before.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'batchctl.cjs');
let source;
let cacheFile;
try {
  const { size, mtimeMs } = statSync(bundle);
  cacheFile = `${bundle}.${size}-${Math.trunc(mtimeMs)}.cache`;
  source = readFileSync(bundle, 'utf8');
} catch {
  process.stderr.write(`batchctl: ${bundle} is missing: run \`npm ci && npm run build\` in ${join(dirname(bundle), '..', '..')} first\n`);
  process.exit(2);
}
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined; // no cache (yet): compile
}
const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
const cli = { exports: {} };
script.runInThisContext()(cli.exports, createRequire(bundle), cli, bundle, dirname(bundle));

// The build runs a few commands through here, in one process, then keeps what V8 compiled for them.
const warmUp = process.env.BATCHCTL_CODE_CACHE_WARMUP;
if (warmUp) {
  for (const argv of JSON.parse(warmUp)) await cli.exports.main([process.argv[0], 'batchctl', ...argv]);
  writeFileSync(cacheFile, script.createCachedData());
} else {
  await cli.exports.main(process.argv);
}
