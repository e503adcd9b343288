// A database that fails to sync at any of a run's commits (SQLITE_IOERR_FSYNC on its write-ahead
// log, strace-injected from the N-th sync on) never makes the run's exit code disagree with git: exit 0
// exactly when the batch landed, and after `batchctl recover` its row says what git says (issue 11,
// class 2: a batch that landed is never reported failed).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { CLI, runCli } from '../helpers/run-cli.js';
import { runCliWithFault } from '../helpers/strace-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) removeRepo(repo);
});

const batch = JSON.stringify({ title: 'w', ecosystem: 'npm', operations: [{ type: 'write', target: 'x.txt', content: 'x\n' }] });

async function freshRepo(): Promise<TestRepo> {
  const repo = gitRepo({ 'a.txt': 'a\n' });
  repo.commitAll('seed');
  repos.push(repo);
  const init = await runCli(['init'], { cwd: repo.dir });
  expect(init.code, init.stderr).toBe(0);
  return repo;
}

const wal = (repo: TestRepo): string => join(repo.dir, '.git', 'batchctl', 'state.db-wal');

/** How many syncs of the write-ahead log a clean run makes, counted by strace. */
function syncsOfCleanRun(repo: TestRepo): number {
  const log = join(repo.dir, '..', `syncs-${process.pid}.txt`);
  const traced = spawnSync(
    'strace',
    ['-f', '-qq', '-o', log, '-P', wal(repo), '-e', 'trace=fsync,fdatasync', process.execPath, CLI, 'run', '-'],
    {
      cwd: repo.dir,
      input: batch,
      env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
    },
  );
  expect(traced.status, String(traced.stderr)).toBe(0);
  const count = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => /fsync|fdatasync/.test(line)).length;
  rmSync(log, { force: true });
  return count;
}

function batchRow(repo: TestRepo): { status: string } | undefined {
  const db = new Database(join(repo.dir, '.git', 'batchctl', 'state.db'), { readonly: true });
  try {
    return db.prepare("SELECT status FROM batch_operations WHERE title = 'w' ORDER BY created_at DESC LIMIT 1").get() as
      { status: string } | undefined;
  } finally {
    db.close();
  }
}

describe('a database that cannot sync, from any point of a run on', () => {
  it('exits 0 exactly when the batch landed, and recovery leaves its row as git says', async () => {
    const syncs = syncsOfCleanRun(await freshRepo());
    expect(syncs).toBeGreaterThan(3);
    for (let when = 1; when <= syncs; when++) {
      const repo = await freshRepo();
      const run = await runCliWithFault(['run', '-'], {
        cwd: repo.dir,
        input: batch,
        fault: { path: wal(repo), syscalls: ['fsync', 'fdatasync'], error: 'EIO', when },
      });
      const landed = repo.git('tag', '--list', 'batch/*').trim() !== '';
      expect({ when, exit: run.code, landed }, run.stderr).toEqual({ when, exit: landed ? 0 : 1, landed });
      const recovered = await runCli(['recover'], { cwd: repo.dir });
      expect(recovered.code, recovered.stderr).toBe(0);
      const row = batchRow(repo);
      if (landed) expect(row?.status).toBe('completed');
      else expect(row === undefined || ['failed', 'refused'].includes(row.status), JSON.stringify(row)).toBe(true);
      expect(repo.git('status', '--porcelain')).toBe('');
    }
  }, 120_000);
});
