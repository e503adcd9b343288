// Bundles the compiled CLI (dist/controller) into one CommonJS file, dist/cli/batchctl.cjs, and
// writes the V8 code cache bin/batchctl.js starts it from (dist/cli/batchctl.cjs.<size>-<mtime>.cache).
// A command used to spend most of its start-up resolving and compiling ~300 ES modules (zod, pino,
// commander, ours): `batchctl list` took 445 ms as modules, 298 ms as bundled ES-module chunks and
// 219 ms as one bundle started from the cache (medians of 11; `node -e 0` is 97 ms on that machine;
// docs/benchmarks.md). CommonJS because Node 20 takes a code cache for a script, not an ES module.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build } from 'esbuild';

rmSync('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: ['dist/controller/cli/main.js'],
  outfile: 'dist/cli/batchctl.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // A native addon cannot be bundled: it is loaded from node_modules as before.
  external: ['better-sqlite3'],
  logLevel: 'warning',
});

// The dashboard (docs/dashboard.md): its TypeScript for the browser as one ES module, beside its page and
// stylesheet, in dist/dashboard, which `batchctl serve` answers at GET / (no CDN: it works offline).
const page = 'controller/facades/dashboard/page';
rmSync('dist/dashboard', { recursive: true, force: true });
mkdirSync('dist/dashboard', { recursive: true });
await build({
  entryPoints: [`${page}/main.ts`],
  outfile: 'dist/dashboard/app.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120', 'firefox121', 'safari17'],
  minify: true,
  logLevel: 'warning',
});
copyFileSync(`${page}/index.html`, 'dist/dashboard/index.html');
copyFileSync(`${page}/app.css`, 'dist/dashboard/app.css');

// The warm-up: the commands users run most, on a throwaway repository, in one process.
const repo = mkdtempSync(join(tmpdir(), 'batchctl-warmup-'));
try {
  const git = (...args) =>
    spawnSync('git', ['-C', repo, '-c', 'user.name=warmup', '-c', 'user.email=warmup@localhost', ...args], { stdio: 'ignore' });
  git('init', '-q');
  const batch = join(repo, '.git', 'warmup.json');
  writeFileSync(
    batch,
    JSON.stringify({
      title: 'warm-up',
      ecosystem: 'npm',
      requested_by: 'build',
      operations: [
        { type: 'write', target: 'a.txt', content: 'a\n' },
        { type: 'copy', source: 'a.txt', target: 'b.txt' },
        { type: 'replace', target: 'b.txt', find: 'a', replace: 'b' },
        { type: 'move', source: 'b.txt', target: 'c.txt' },
      ],
    }),
  );
  const commands = [
    ['validate', batch, '--repo', repo, '--json'],
    ['run', batch, '--repo', repo, '--json'],
    ['status', '--repo', repo, '--json'],
    ['list', '--repo', repo],
  ];
  // `run` needs the control file committed first: init, commit, then the commands whose cache is kept.
  const step = (list) =>
    spawnSync(process.execPath, ['bin/batchctl.js'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, BATCHCTL_CODE_CACHE_WARMUP: JSON.stringify(list) },
    });
  step([['init', '--repo', repo]]);
  git('add', 'batch-control.json');
  git('commit', '-q', '-m', 'warm-up');
  const r = step(commands);
  if (r.status !== 0) console.warn(`bundle: the code-cache warm-up exited ${r.status}; batchctl will compile at start-up`);
} finally {
  rmSync(repo, { recursive: true, force: true });
}
