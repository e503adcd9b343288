// Issue 11, class 2: once the refs moved, the batch is committed. A fault after `update-ref` (a lock
// taken during `update-index`, `update-index` killed, the database refusing the record) never makes
// it `failed`: it ends `completed`, or completed with what is left pending for `batchctl recover`,
// and never feeds the breaker (no failure control-state commit, nothing kept pending).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { useGitHook } from '../helpers/git-hook-path.js';
import { CLI, jsonLines, runCli } from '../helpers/run-cli.js';
import { runCliWithFault } from '../helpers/strace-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});
const hooked = useGitHook();

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve('better-sqlite3');

function repo(): TestRepo {
  const r = gitRepo({ 'a.txt': 'v1\n', 'b.txt': 'b1\n', 'notes.txt': 'mine\n' });
  repos.push(r);
  return r;
}

const input = JSON.stringify({
  title: 'lands',
  operations: [
    { type: 'write', target: 'a.txt', content: 'v2\n' },
    { type: 'write', target: 'new/c.txt', content: 'c\n' },
  ],
});

/** What a landed batch leaves: HEAD is its commit and tag, one control-state commit under it, and no failure anywhere. */
function expectLanded(r: TestRepo, batchId: string, commit: string): void {
  expect(r.head()).toBe(commit);
  expect(r.git('rev-parse', `batch/${batchId}^{commit}`).trim()).toBe(commit);
  expect(r.git('log', '-1', '--format=%s', 'HEAD^').trim()).toBe(`batchctl: control state after ${batchId} (success)`);
  expect(r.git('log', '--format=%s').trim().split('\n')).not.toContainEqual(expect.stringMatching(/\(failure\)$/));
  expect(existsSync(join(r.dir, '.git', 'batchctl', 'pending-failures.json'))).toBe(false);
  expect(r.read('a.txt')).toBe('v2\n');
}

async function rowOf(r: TestRepo, batchId: string): Promise<Record<string, unknown> | undefined> {
  const out = await runCli(['status', batchId, '--json'], { cwd: r.dir });
  return jsonLines(out.stdout).at(-1)?.batch as Record<string, unknown> | undefined;
}

describe('a fault after the refs moved', () => {
  it('a stale index.lock made during update-index: the run removes it, refreshes the index and completes', async () => {
    const r = repo();
    r.write('notes.txt', 'unstaged work\n');
    const PATH = hooked({ subcommand: 'update-index', once: true, before: ': > "$GIT_DIR_OF/index.lock"' });
    const out = await runCli(['run', '-', '--json'], { cwd: r.dir, input, env: { PATH } });
    const result = jsonLines(out.stdout).at(-1) as { batch_id: string; commit: string };
    expect(out.code, out.stderr).toBe(0);
    expect(result).toMatchObject({ status: 'completed' });
    expectLanded(r, result.batch_id, result.commit);
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe(' M notes.txt\n');
    expect(existsSync(join(r.dir, '.git', 'batchctl', 'journal.json'))).toBe(false);
    expect(await rowOf(r, result.batch_id)).toMatchObject({ status: 'completed', commit_sha: result.commit });
    // Landed once: a retry has nothing to apply a second time.
    const retry = await runCli(['retry', result.batch_id, '--json'], { cwd: r.dir });
    expect(jsonLines(retry.stdout).at(-1)).toMatchObject({ error: { code: 'NOTHING_TO_RETRY' } });
  });

  it('update-index killed holding index.lock: the run takes the dead lock away, refreshes the index and completes', async () => {
    const r = repo();
    // git reads its input from a pipe the hook never writes to: it holds the lock and waits, and is killed so.
    const PATH = hooked({
      subcommand: 'update-index',
      once: true,
      before: `fifo="$GIT_DIR_OF/hold-input"; mkfifo "$fifo"
"$REAL_GIT" "$@" < "$fifo" & pid=$!
exec 3> "$fifo"
while [ ! -e "$GIT_DIR_OF/index.lock" ]; do :; done
kill -9 $pid; wait $pid; exec 3>&-; rm -f "$fifo"
exit 137`,
    });
    const out = await runCli(['run', '-', '--json'], { cwd: r.dir, input, env: { PATH } });
    const result = jsonLines(out.stdout).at(-1) as { batch_id: string; commit: string };
    expect(out.code, out.stderr).toBe(0);
    expect(result).toMatchObject({ status: 'completed' });
    expectLanded(r, result.batch_id, result.commit);
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(existsSync(join(r.dir, '.git', 'index.lock'))).toBe(false);
    expect(await rowOf(r, result.batch_id)).toMatchObject({ status: 'completed', commit_sha: result.commit });
  });

  it('the database refusing every write after the commit: completed, the record left to `recover`, never failed', async () => {
    const r = repo();
    // The database's own refusal, raised inside batchctl's real transactions from the moment HEAD
    // moved (a trigger made by the hook, as another connection to the same file may): the disk-full
    // or I/O error of a real write, at a point no timing could hit.
    const refuse = [
      "CREATE TRIGGER refuse_update BEFORE UPDATE ON batch_operations BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
      "CREATE TRIGGER refuse_backup BEFORE INSERT ON batch_backups BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
    ].join(' ');
    const PATH = hooked({
      subcommand: 'update-index',
      once: true,
      before: `node -e 'const D = require(process.argv[1]); new D(process.argv[2]).exec(process.argv[3])' ${JSON.stringify(BETTER_SQLITE3)} "$GIT_DIR_OF/batchctl/state.db" ${JSON.stringify(refuse)} || exit 99`,
    });
    const out = await runCli(['run', '-', '--json'], { cwd: r.dir, input, env: { PATH } });
    const result = jsonLines(out.stdout).at(-1) as { batch_id: string; commit: string };
    expect(result, out.stderr).toMatchObject({ status: 'completed', pending: { code: 'STORE_FAILED' } });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/batchctl recover/);
    expectLanded(r, result.batch_id, result.commit);
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(existsSync(join(r.dir, '.git', 'batchctl', 'journal.json'))).toBe(true);
    expect((await rowOf(r, result.batch_id))?.status).not.toBe('failed');

    const db = new Database(join(r.dir, '.git', 'batchctl', 'state.db'));
    db.exec('DROP TRIGGER refuse_update; DROP TRIGGER refuse_backup;');
    db.close();
    const recovered = await runCli(['recover', '--json'], { cwd: r.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({ recovered: { action: 'finished', batch_id: result.batch_id } });
    expect(await rowOf(r, result.batch_id)).toMatchObject({ status: 'completed', commit_sha: result.commit });
    expectLanded(r, result.batch_id, result.commit);
    expect(readFileSync(join(r.dir, 'new', 'c.txt'), 'utf8')).toBe('c\n');
    const retry = await runCli(['retry', result.batch_id, '--json'], { cwd: r.dir });
    expect(jsonLines(retry.stdout).at(-1)).toMatchObject({ error: { code: 'NOTHING_TO_RETRY' } });
  });
});

describe('a batch whose process cannot read its own memory figures', () => {
  // Reading the RSS opens /proc/self/stat: out of space or file handles, that open fails like any
  // other (the fault sweep's strace:openat:ENOSPC:213). A figure for a log line never fails a batch,
  // nor makes a landed one `failed` with a failure control-state commit on top of it.
  for (const level of ['info', 'debug']) {
    it(`lands and exits 0 at log level ${level}`, async () => {
      const r = repo();
      const out = await runCliWithFault(['run', '-', '--json'], {
        cwd: r.dir,
        input,
        env: { BATCHCTL_LOG_LEVEL: level },
        fault: { path: '/proc/self/stat', syscalls: ['openat'], error: 'ENOSPC' },
      });
      expect(out.code, out.stderr).toBe(0);
      const result = jsonLines(out.stdout).at(-1) as { batch_id: string; status: string; commit: string };
      expect(result.status).toBe('completed');
      expectLanded(r, result.batch_id, result.commit);
    });
  }
});

describe('a batch whose output cannot be written', () => {
  // stdout redirected to a file on a full disk (the fault sweep's strace:write:ENOSPC:151): the
  // result line is lost, but the batch landed, so the exit code is 0 and nothing is reported failed.
  it('lands and exits 0 when every write to its stdout fails with ENOSPC', async () => {
    const r = repo();
    const outFile = join(r.dir, '..', `stdout-${process.pid}.txt`);
    const fd = openSync(outFile, 'w');
    const child = spawn(
      'strace',
      [
        '-f',
        '-qq',
        '-o',
        '/dev/null',
        '-P',
        outFile,
        '-e',
        'trace=write',
        '-e',
        'inject=write:error=ENOSPC',
        process.execPath,
        CLI,
        'run',
        '-',
      ],
      { cwd: r.dir, stdio: ['pipe', fd, 'pipe'], env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } },
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin?.end(input);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    closeSync(fd);
    rmSync(outFile, { force: true });
    expect(code, stderr).toBe(0);
    const tag = r.git('tag', '--list', 'batch/*').trim();
    expect(tag).not.toBe('');
    expectLanded(r, tag.slice('batch/'.length), r.head());
  });
});
