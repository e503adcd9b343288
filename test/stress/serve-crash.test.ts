// SIGKILL sweep of `batchctl serve` (issue 17, docs/reliability.md#sigkill-sweep-of-serve): the served
// process (its whole process group, git children included) killed at seeded points while a batch
// submitted over HTTP runs, and while a rollback requested over HTTP runs. Then recovery, by
// `batchctl recover` or (every 5th point) by starting serve again, which recovers at start and
// runs what was left queued; then the invariants of test/e2e/crash.test.ts: nothing torn, exactly the
// state before or after, git and SQLite intact, tags and rows agreeing with the tree.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { GIT_ENV, gitRepo, removeRepo } from '../helpers/git-repo.js';
import { CLI, jsonLines, runCli } from '../helpers/run-cli.js';
import { count, figure } from './stress-env.js';

const POINTS = count('serve_kills', 200, 2_000);
const SEED = Number(process.env.STRESS_SEED ?? 20261202);

/** mulberry32, as test/e2e/crash.test.ts: a failing point is replayed from its seed */
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

const git = (dir: string, ...args: string[]): string => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' }).trim();
/** the tree without the control file (its budget and breaker state move with every batch and rollback) */
const content = (dir: string): string =>
  git(dir, 'ls-tree', '-r', 'HEAD')
    .split('\n')
    .filter((line) => !line.endsWith('\tbatch-control.json'))
    .join('\n');

const files: Record<string, string> = {};
for (let i = 0; i < 60; i++) files[`src/${i}.txt`] = `file ${i}\nversion = "1.0.0"\n`;
const BATCH = {
  title: 'serve crash batch',
  ecosystem: 'npm',
  requested_by: 'sweep',
  operations: [
    ...Array.from({ length: 80 }, (_, i) => ({ type: 'write', target: `gen/${i}.txt`, content: `generated ${i}\n`.repeat(10) })),
    { type: 'replace', target: 'src/*.txt', find: '1.0.0', replace: '1.0.1' },
    ...Array.from({ length: 10 }, (_, i) => ({ type: 'move', source: `src/${i + 40}.txt`, target: `moved/${i}.txt` })),
    ...Array.from({ length: 10 }, (_, i) => ({ type: 'delete', target: `src/${i + 50}.txt` })),
  ],
};
const work = mkdtempSync(join(tmpdir(), 'batchctl-serve-crash-'));
const before = gitRepo(files); // the batch is submitted here
const landed = join(work, 'landed'); // the batch landed here: rolled back over HTTP
let landedId = '';
afterAll(() => {
  removeRepo(before);
  rmSync(work, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** serve in its own process group (one kill reaches its git children), on ephemeral ports */
function serve(dir: string): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--http', '0', '--ws', '0'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', BATCHCTL_LOG_LEVEL: 'info' },
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) resolve({ child, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited ${code} before listening`)));
  });
}

type Mode = 'batch' | 'rollback';
const request = (url: string, mode: Mode): Promise<Response> =>
  fetch(mode === 'batch' ? `${url}/api/batch?wait=1` : `${url}/api/rollback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(mode === 'batch' ? BATCH : { batch_id: landedId, reason: 'sweep' }),
  });

const FINAL = new Set(['completed', 'refused', 'failed', 'cancelled', 'rolled_back', 'planned']);

/** Serve again: it recovers at start, runs what was left queued; once every batch is final, SIGTERM. */
async function recoverByServe(dir: string): Promise<void> {
  const served = await serve(dir);
  try {
    for (;;) {
      const ready = await fetch(`${served.url}/ready`);
      const { batches } = (await (await fetch(`${served.url}/api/batches?limit=500`)).json()) as { batches: Array<{ status: string }> };
      if (ready.status === 200 && batches.every((b) => FINAL.has(b.status))) break;
      await new Promise((resolve) => setTimeout(resolve, 50)); // polling a condition
    }
  } finally {
    served.child.kill('SIGTERM');
  }
  expect(await served.exited).toBe(0);
}

describe('SIGKILL sweep of serve', () => {
  const clean: Record<Mode, number> = { batch: 0, rollback: 0 };
  const trees: Record<Mode, { pre: string; post: string }> = { batch: { pre: '', post: '' }, rollback: { pre: '', post: '' } };

  it('runs the batch and the rollback to the end over HTTP when nothing interferes', async () => {
    for (const mode of ['batch', 'rollback'] as const) {
      const dir = join(work, `clean-${mode}`);
      if (mode === 'batch') {
        cpSync(before.dir, dir, { recursive: true });
      } else {
        cpSync(before.dir, landed, { recursive: true });
        const file = join(work, 'batch.json');
        writeFileSync(file, JSON.stringify(BATCH));
        const ran = await runCli(['run', '--json', file], { cwd: landed });
        expect(ran.code).toBe(0);
        landedId = String(jsonLines(ran.stdout).pop()?.batch_id);
        cpSync(landed, dir, { recursive: true });
      }
      trees[mode].pre = content(dir);
      const served = await serve(dir);
      const started = performance.now();
      const response = await request(served.url, mode);
      clean[mode] = performance.now() - started;
      expect(response.status).toBe(200);
      served.child.kill('SIGTERM');
      expect(await served.exited).toBe(0);
      trees[mode].post = content(dir);
      expect(trees[mode].post).not.toBe(trees[mode].pre);
    }
    expect(trees.rollback.post).toBe(trees.batch.pre); // the rollback reverts exactly the batch
  });

  it(
    `leaves exactly the state before or after at ${POINTS} seeded kill points (seed ${SEED})`,
    { timeout: 60_000 + POINTS * 10_000 },
    async () => {
      const random = rng(SEED);
      const outcomes = { batch: { before: 0, after: 0 }, rollback: { before: 0, after: 0 }, byServe: 0 };
      const torn: string[] = [];
      for (let point = 0; point < POINTS; point++) {
        const mode: Mode = point % 2 === 0 ? 'batch' : 'rollback';
        const dir = join(work, `p${point}`);
        cpSync(mode === 'batch' ? before.dir : landed, dir, { recursive: true });
        // Stratified over 120 % of the clean request (serve's start-up is before it): early points land
        // while the request is parsed and queued, late ones after the answer.
        const slot = Math.floor(point / 2);
        const delay = Math.round(((slot + random()) / Math.ceil(POINTS / 2)) * clean[mode] * 1.2);
        const served = await serve(dir);
        const answered = request(served.url, mode).then(
          (r) => r.status,
          () => null,
        );
        await new Promise((resolve) => setTimeout(resolve, delay)); // the kill point itself
        try {
          process.kill(-(served.child.pid ?? 0), 'SIGKILL');
        } catch {
          // the group is gone already
        }
        await served.exited;
        const status = await answered;
        const where = `point ${point} (${mode}, seed ${SEED}, kill ${delay} ms after the request, answered ${status})`;
        if (point % 5 === 4) {
          outcomes.byServe++;
          await recoverByServe(dir);
        } else {
          const recovered = await runCli(['recover', '--json'], { cwd: dir });
          expect(recovered.code, `${where}: ${recovered.stderr}`).toBe(0);
        }
        const problems: string[] = [];
        const check = (ok: boolean, what: string): void => void (ok || problems.push(what));
        check(git(dir, 'status', '--porcelain', '--untracked-files=all') === '', 'work tree or index not clean');
        try {
          execFileSync('git', ['fsck', '--strict', '--no-progress'], { cwd: dir, env: GIT_ENV, stdio: 'ignore' });
        } catch {
          problems.push('git fsck failed');
        }
        check(!existsSync(join(dir, '.git', 'batchctl', 'journal.json')), 'a journal left');
        const tree = content(dir);
        const side = tree === trees[mode].pre ? 'before' : tree === trees[mode].post ? 'after' : null;
        check(side !== null, 'the tree is neither the state before nor the state after');
        const db = new Database(join(dir, '.git', 'batchctl', 'state.db'), { readonly: true, fileMustExist: false });
        try {
          check(db.pragma('integrity_check', { simple: true }) === 'ok', 'SQLite integrity_check failed');
          const rows = db.prepare('SELECT batch_id, status, commit_sha FROM batch_operations').all() as Array<{
            batch_id: string;
            status: string;
            commit_sha: string | null;
          }>;
          const head = git(dir, 'rev-parse', 'HEAD');
          if (mode === 'batch') {
            const done = rows.filter((r) => r.status === 'completed');
            const tags = git(dir, 'tag', '--list', 'batch/*');
            if (side === 'after') {
              check(done.length === 1 && tags === `batch/${done[0]?.batch_id}`, 'after: not one completed row with its tag');
              check(
                done[0] !== undefined && git(dir, 'rev-parse', `batch/${done[0].batch_id}^{commit}`) === done[0].commit_sha,
                'tag and row disagree',
              );
            } else {
              check(done.length === 0 && tags === '', 'before: a completed row or a batch tag');
            }
          } else {
            const original = rows.find((r) => r.batch_id === landedId);
            const tag = git(dir, 'tag', '--list', `rollback/${landedId}`);
            if (side === 'after') {
              check(original?.status === 'rolled_back', `after: the batch is ${original?.status}, not rolled_back`);
              check(
                tag !== '' && git(dir, 'merge-base', '--is-ancestor', `${tag}^{commit}`, head) === '',
                'after: no rollback tag on the branch',
              );
            } else {
              check(original?.status === 'completed' && tag === '', 'before: the batch not completed, or a rollback tag');
            }
          }
        } finally {
          db.close();
        }
        if (problems.length > 0) torn.push(`${where}: ${problems.join('; ')}`);
        else if (side) outcomes[mode][side]++;
        rmSync(dir, { recursive: true, force: true });
      }
      figure('serve-crash', { points: POINTS, seed: SEED, ...outcomes, torn: torn.length });
      expect(torn).toEqual([]);
      // the sweep means something only with kills on both sides of each commit
      for (const mode of ['batch', 'rollback'] as const) {
        expect(outcomes[mode].before, JSON.stringify(outcomes)).toBeGreaterThan(0);
        expect(outcomes[mode].after, JSON.stringify(outcomes)).toBeGreaterThan(0);
      }
    },
  );
});
