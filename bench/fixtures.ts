// Bench fixtures: seeded repositories, batch files, and the two timed contenders (plain git, batchctl).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Project root: this file runs as dist/bench/fixtures.js. */
export const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(PROJECT, 'bin', 'batchctl.js');
const CLI_URL = pathToFileURL(CLI).href;

// Both contenders get the same hardening batchctl applies to itself, so neither runs hooks or a
// detached `gc --auto` that would steal CPU from the next measurement.
const GIT_FLAGS = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'gc.auto=0',
  '-c',
  'maintenance.auto=false',
  '-c',
  'commit.gpgSign=false',
  '-c',
  'core.fsmonitor=false',
];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // A caller's GIT_DIR or GIT_INDEX_FILE would point the baseline at the wrong repository.
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GIT_')) env[key] = value;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@localhost',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@localhost',
  };
}

export function git(cwd: string, args: readonly string[]): string {
  const r = spawnSync('git', [...GIT_FLAGS, ...args], { cwd, env: gitEnv(), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} (in ${cwd}) exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

export function sh(cmd: string, args: readonly string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** The share of the last 10 s in which some task waited on I/O (Linux PSI), or null where unavailable. */
function ioPressure(): number | null {
  try {
    const some = readFileSync('/proc/pressure/io', 'utf8').split('\n')[0] ?? '';
    const avg10 = /avg10=([0-9.]+)/.exec(some)?.[1];
    return avg10 === undefined ? null : Number(avg10);
  } catch {
    return null;
  }
}

/**
 * Before a timed run: write back what is dirty (`sync`), then wait, at most 60 s, until the disk has
 * been quiet for a while. Fixture copies and deletions keep some disks busy for seconds after they
 * return (ext4 with online discard frees blocks slowly), and a run measured then pays for them.
 */
export function settle(): void {
  sh('sync', []);
  // `--no-settle`: on a machine other work keeps busy the wait always hits its 60 s cap; skip it.
  if (process.argv.includes('--no-settle')) return;
  const started = Date.now();
  for (;;) {
    const pressure = ioPressure();
    if (pressure === null || pressure < 1 || Date.now() - started > 60_000) break;
    Atomics.wait(pause, 0, 0, 500);
  }
  const waited = (Date.now() - started) / 1000;
  if (waited >= 5) console.error(`  (waited ${waited.toFixed(0)} s for the disk to settle)`);
}

/** Deterministic, distinct bytes per file (distinct blobs, as in a real change), exactly `size` long. */
function content(tag: string, i: number, size: number): string {
  const head = `${tag} ${i}\n`;
  return head + 'x'.repeat(Math.max(0, size - head.length - 1)) + '\n';
}

const dirName = (d: number): string => `src/d${String(d).padStart(4, '0')}`;

export interface Change {
  path: string;
  content: string;
}

/**
 * `ops` new files spread over the repository's directories (100 files each), so both contenders
 * rewrite many trees, as a real batch across a code base would; extra directories when ops outnumber
 * them. `round` makes names and bytes distinct per repeat, so no repeat finds its blobs already stored.
 */
export function changeSet(repoFiles: number, ops: number, size: number, round: number): Change[] {
  const dirs = Math.max(Math.ceil(repoFiles / 100), Math.ceil(ops / 100), 1);
  const stride = Math.max(1, Math.floor(dirs / ops));
  return Array.from({ length: ops }, (_, i) => ({
    path: `${dirName((i * stride) % dirs)}/new-${round}-${i}.txt`,
    content: content(`new-${round}`, i, size),
  }));
}

/** NDJSON batch: header line, then one write operation per line (the streamed input format). */
export function writeBatchFile(file: string, changes: readonly Change[]): void {
  const lines = [JSON.stringify({ title: 'bench', ecosystem: 'npm', requested_by: 'bench' })];
  for (const c of changes) lines.push(JSON.stringify({ type: 'write', target: c.path, content: c.content }));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/**
 * A committed repository of `files` files (1 KiB each) under batchctl control. `git fast-import`
 * writes the objects straight into a pack (big repositories live in packs) and `reset --hard`
 * checks them out: no loose objects to prune, so the fixture deletes nothing. Mass deletions are
 * kept out of the bench because they slow later file creation on some file systems.
 */
export function seedRepo(dir: string, files: number): void {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  sh(process.execPath, [CLI, 'init', '--repo', dir]);
  const controlFile = join(dir, 'batch-control.json');
  const control = JSON.parse(readFileSync(controlFile, 'utf8'));
  control.policy.limits.max_operations_per_batch = 200_000;
  // Not enforced today; raised so a future budget check does not turn the bench into a refusal test.
  control.policy.budget.limits.operations = 10_000_000;
  const entries: Change[] = [{ path: 'batch-control.json', content: `${JSON.stringify(control, null, 2)}\n` }];
  for (let i = 0; i < files; i++) {
    entries.push({ path: `${dirName(Math.floor(i / 100))}/f-${i}.txt`, content: content('seed', i, 1024) });
  }
  const stream = join(dir, '..', 'seed.fast-import');
  const fd = openSync(stream, 'w');
  writeSync(
    fd,
    'commit refs/heads/main\nauthor bench <bench@localhost> 1700000000 +0000\n' +
      'committer bench <bench@localhost> 1700000000 +0000\ndata 4\nseed\n',
  );
  for (const e of entries) writeSync(fd, `M 100644 inline ${e.path}\ndata ${Buffer.byteLength(e.content)}\n${e.content}\n`);
  closeSync(fd);
  const input = openSync(stream, 'r');
  // --force: the seed replaces the commit `batchctl init` made (it holds the default control file).
  const r = spawnSync('git', [...GIT_FLAGS, 'fast-import', '--quiet', '--force'], {
    cwd: dir,
    env: gitEnv(),
    stdio: [input, 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  closeSync(input);
  if (r.status !== 0) throw new Error(`git fast-import (in ${dir}) exited ${r.status}: ${r.stderr}`);
  git(dir, ['reset', '-q', '--hard', 'main']);
}

/** An identical working copy whose index stat data matches its own files (as in a real clone). */
export function copyRepo(seed: string, dest: string): void {
  sh('cp', ['-a', seed, dest]);
  // cp changes inode numbers and ctimes: without a refresh, the first `git add -A` would re-read
  // every file to prove it unchanged, charging the baseline for our fixture copy.
  git(dest, ['update-index', '-q', '--refresh']);
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Plain git: write the files from this process, `git add -A`, `git commit` — timed together. */
export function runBaseline(dir: string, changes: readonly Change[]): number {
  gc?.();
  settle();
  const before = git(dir, ['rev-parse', 'HEAD']);
  const start = performance.now();
  const made = new Set<string>();
  for (const c of changes) {
    const parent = dirname(join(dir, c.path));
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(join(dir, c.path), c.content);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'baseline']);
  const seconds = (performance.now() - start) / 1000;
  if (git(dir, ['rev-parse', 'HEAD']) === before) throw new Error(`baseline in ${dir}: HEAD did not move`);
  return seconds;
}

export interface BatchctlRun {
  seconds: number;
  maxRssKiB: number | null;
}

/**
 * batchctl as a user runs it: a child process, timed from spawn to exit. With `rssFile`, the child
 * is a wrapper that runs the same launcher in-process and records its own peak RSS at exit.
 */
export function runBatchctl(dir: string, batchFile: string, outFile: string, rssFile?: string): BatchctlRun {
  const before = git(dir, ['rev-parse', 'HEAD']);
  const runArgs = ['run', batchFile, '--repo', dir, '--json'];
  const wrapper = [
    "import { writeFileSync } from 'node:fs';",
    "process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));",
    // The launcher reads process.argv as if it had been started as `node bin/batchctl.js …`.
    "process.argv = [process.argv[0], 'batchctl', ...process.argv.slice(1)];",
    `await import(${JSON.stringify(CLI_URL)});`,
  ].join('\n');
  const argv = rssFile ? ['--input-type=module', '-e', wrapper, ...runArgs] : [CLI, ...runArgs];
  const out = openSync(outFile, 'w');
  const err = openSync(`${outFile}.stderr`, 'w');
  settle();
  const start = performance.now();
  const r = spawnSync(process.execPath, argv, {
    stdio: ['ignore', out, err],
    env: { ...process.env, ...(rssFile ? { BENCH_RSS_FILE: rssFile } : {}) },
  });
  const seconds = (performance.now() - start) / 1000;
  closeSync(out);
  closeSync(err);
  if (r.status !== 0) {
    throw new Error(`batchctl in ${dir} exited ${r.status}: ${readFileSync(`${outFile}.stderr`, 'utf8').slice(0, 2000)}`);
  }
  const after = git(dir, ['rev-parse', 'HEAD']);
  if (after === before) throw new Error(`batchctl in ${dir}: HEAD did not move`);
  if (git(dir, ['log', '-1', '--format=%(trailers:key=Batch-Id,valueonly)']) === '') {
    throw new Error(`batchctl in ${dir}: commit ${after} has no Batch-Id trailer`);
  }
  const maxRssKiB = rssFile ? Number(readFileSync(rssFile, 'utf8')) : null;
  return { seconds, maxRssKiB };
}

/** The engine as a long-running batchctl holds it (HTTP API, MCP server): opened once, warmed up. */
export interface LongRunningEngine {
  /** parse the NDJSON batch file and run it; seconds from reading the file to the result */
  run(batchFile: string): Promise<number>;
  close(): void;
}

/**
 * Opens the engine in this process on `dir` and runs one untimed warm-up batch of `warmUpOps` writes
 * under `warmup/` (outside the compared `src/`), so the timed runs see compiled code, as a server would.
 */
export async function openLongRunningEngine(dir: string, warmUpOps: number): Promise<LongRunningEngine> {
  const dist = (path: string): string => pathToFileURL(join(PROJECT, 'dist', 'controller', path)).href;
  const { openEngine } = (await import(dist('app/index.js'))) as typeof import('../controller/app/index.js');
  const { parseBatchNdjson } = (await import(dist('domain/index.js'))) as typeof import('../controller/domain/index.js');
  const engine = await openEngine({ repo: dir });
  const run = async (batchFile: string): Promise<number> => {
    gc?.();
    settle();
    const start = performance.now();
    const lines = readFileSync(batchFile, 'utf8').split('\n');
    const batch = await parseBatchNdjson(
      (async function* () {
        yield lines;
      })(),
    );
    const result = await engine.run(batch, { source: 'bench' });
    const seconds = (performance.now() - start) / 1000;
    if (result.status !== 'completed')
      throw new Error(`engine in ${dir}: batch ${result.batch_id} ended ${result.status}: ${JSON.stringify(result.errors.slice(0, 3))}`);
    return seconds;
  };
  const warmUp = join(dir, '.git', 'bench-warmup.ndjson');
  writeBatchFile(
    warmUp,
    Array.from({ length: warmUpOps }, (_, i) => ({ path: `warmup/w-${i}.txt`, content: content('warm-up', i, 1024) })),
  );
  await run(warmUp);
  return { run, close: () => engine.close() };
}

/** Any batchctl command as a child process, timed from spawn to exit; its stdout is returned. */
export function timeBatchctl(args: readonly string[]): { seconds: number; stdout: string } {
  settle();
  const start = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`batchctl ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { seconds, stdout: r.stdout };
}

/** Plain git, timed from spawn to exit. */
export function timeGit(cwd: string, args: readonly string[]): { seconds: number; stdout: string } {
  const start = performance.now();
  const stdout = git(cwd, args);
  return { seconds: (performance.now() - start) / 1000, stdout };
}

/** `ops` writes that rewrite the seed's existing files (seedRepo's names), with new bytes. */
export function rewriteSet(ops: number, size: number): Change[] {
  return Array.from({ length: ops }, (_, i) => ({
    path: `${dirName(Math.floor(i / 100))}/f-${i}.txt`,
    content: content('rewritten', i, size),
  }));
}
