// Crash testing (docs/lifecycle.md#durability-and-concurrency): run `batchctl run` as its own process group, SIGKILL the whole group at
// seeded random moments, recover, and check the invariants. BATCHCTL_CRASH_POINTS and
// BATCHCTL_CRASH_SEED widen the sweep (`npm run test:crash -- --points 500`).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { GIT_ENV, gitRepo, removeRepo } from '../helpers/git-repo.js';
import { CLI, runCli } from '../helpers/run-cli.js';

const POINTS = Number(process.env.BATCHCTL_CRASH_POINTS ?? 30);
const SEED = Number(process.env.BATCHCTL_CRASH_SEED ?? 20261123);

/** mulberry32: a tiny seeded PRNG, so a failing point can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const files: Record<string, string> = {};
for (let i = 0; i < 150; i++) files[`src/${i}.txt`] = `file ${i}\nversion = "1.0.0"\n`;
const template = gitRepo(files);
const work = mkdtempSync(join(tmpdir(), 'batchctl-crash-'));
const batchFile = join(work, 'batch.json');
writeFileSync(
  batchFile,
  JSON.stringify({
    title: 'crash test batch',
    operations: [
      ...Array.from({ length: 300 }, (_, i) => ({ type: 'write', target: `gen/${i}.txt`, content: `generated ${i}\n`.repeat(20) })),
      { type: 'replace', target: 'src/*.txt', find: '1.0.0', replace: '1.0.1' },
      ...Array.from({ length: 20 }, (_, i) => ({ type: 'move', source: `src/${i + 100}.txt`, target: `moved/${i}.txt` })),
      ...Array.from({ length: 20 }, (_, i) => ({ type: 'delete', target: `src/${i + 120}.txt` })),
    ],
  }),
);
afterAll(() => {
  removeRepo(template);
  rmSync(work, { recursive: true, force: true });
});

const git = (dir: string, ...args: string[]): string => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' }).trim();

function spawnRun(dir: string): ChildProcess {
  // Its own process group, so one kill reaches the git children too; --json gives the timeline.
  return spawn(process.execPath, [CLI, 'run', batchFile, '--repo', dir, '--json'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Calls `onLine(n)` as the child prints its n-th NDJSON line (stdout to a pipe is synchronous on Linux). */
function countLines(child: ChildProcess, onLine: (n: number) => void): void {
  let lines = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 0x0a) onLine(++lines);
  });
}

/** A clean run, recording when each event line appeared: the clock kill points are set against. */
function timeline(dir: string): Promise<{ lines: number[]; exitMs: number; code: number | null }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const lines: number[] = [];
    const child = spawnRun(dir);
    countLines(child, () => lines.push(performance.now() - started));
    child.on('exit', (code) => resolve({ lines, exitMs: performance.now() - started, code }));
  });
}

/**
 * SIGKILL the group `delayMs` after the child printed `anchor` lines (0: after the spawn). Anchoring
 * on the run's own events, not on wall-clock time alone, keeps the kill points spread over the run
 * however slow a loaded CI machine makes it.
 */
function crashAt(dir: string, anchor: number, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawnRun(dir);
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      timer = setTimeout(() => {
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch {
          // already finished
        }
      }, delayMs);
    };
    if (anchor === 0) arm();
    else countLines(child, (n) => n === anchor && arm());
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('crash recovery under SIGKILL', () => {
  const preTree = git(template.dir, 'rev-parse', 'HEAD^{tree}');
  let postTree = '';
  let clean = { lines: [] as number[], exitMs: 500 };

  it('completes the batch when nothing interferes (the post-batch tree)', async () => {
    const dir = join(work, 'clean');
    cpSync(template.dir, dir, { recursive: true });
    const run = await timeline(dir);
    expect(run.code).toBe(0);
    expect(run.lines.length).toBeGreaterThan(300); // started, one progress line per step, complete, result
    clean = run;
    postTree = git(dir, 'rev-parse', 'HEAD^{tree}');
    expect(postTree).not.toBe(preTree);
  });

  it(
    `recovers to exactly the pre- or post-batch state at ${POINTS} seeded kill points (seed ${SEED})`,
    async () => {
      const random = rng(SEED);
      const outcomes = { before: 0, after: 0 };
      for (let point = 0; point < POINTS; point++) {
        const dir = join(work, `p${point}`);
        cpSync(template.dir, dir, { recursive: true });
        // Stratified over 110 % of the clean run: the first points land in start-up, the last after
        // the exit (the batch completes), the rest anywhere in between.
        const at = ((point + random()) / POINTS) * clean.exitMs * 1.1;
        const anchor = clean.lines.filter((ms) => ms <= at).length;
        const delay = Math.round(at - (anchor === 0 ? 0 : (clean.lines[anchor - 1] ?? 0)));
        await crashAt(dir, anchor, delay);
        const recovered = await runCli(['recover', '--json'], { cwd: dir });
        const where = `point ${point} (seed ${SEED}, kill ${delay} ms after line ${anchor}): ${recovered.stderr}`;
        expect(recovered.code, where).toBe(0);
        expect(git(dir, 'status', '--porcelain', '--untracked-files=all'), where).toBe('');
        execFileSync('git', ['fsck', '--strict', '--no-progress'], { cwd: dir, env: GIT_ENV, stdio: 'ignore' });
        const tree = git(dir, 'rev-parse', 'HEAD^{tree}');
        expect([preTree, postTree], where).toContain(tree);
        const db = new Database(join(dir, '.git', 'batchctl', 'state.db'), { readonly: true, fileMustExist: false });
        try {
          expect(db.pragma('integrity_check', { simple: true }), where).toBe('ok');
          if (tree === postTree) {
            outcomes.after++;
            const id = git(dir, 'log', '-1', '--format=%(trailers:key=Batch-Id,valueonly)');
            expect(git(dir, 'rev-parse', `batch/${id}^{commit}`), where).toBe(git(dir, 'rev-parse', 'HEAD'));
            const row = db.prepare('SELECT status, commit_sha FROM batch_operations WHERE batch_id = ?').get(id) as
              { status: string; commit_sha: string } | undefined;
            expect(row, where).toMatchObject({ status: 'completed', commit_sha: git(dir, 'rev-parse', 'HEAD') });
          } else {
            outcomes.before++;
            expect(git(dir, 'tag', '--list', 'batch/*'), where).toBe('');
          }
        } finally {
          db.close();
        }
        rmSync(dir, { recursive: true, force: true });
      }
      // The sweep is only meaningful if it landed kills on both sides of the commit.
      expect(outcomes.before, JSON.stringify(outcomes)).toBeGreaterThan(0);
      expect(outcomes.after, JSON.stringify(outcomes)).toBeGreaterThan(0);
    },
    30_000 + POINTS * 10_000, // a bound for a loaded 2-core machine (a point took ~4 s at load 10), not a timing assertion
  );
});
