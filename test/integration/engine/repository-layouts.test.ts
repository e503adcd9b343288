// The engine in every repository layout it may be given: SHA-1 or SHA-256 objects, a plain `.git` or
// a linked worktree (`git worktree add`: HEAD and index of its own, objects and refs shared), opened
// for one CLI command (oneShot) or as a long-lived process. In each: a batch that writes and deletes
// (a delete wedged SHA-256 repositories), its rollback, crash recovery both ways, and reindex.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { openEngine } from '../../../controller/app/index.js';
import type { Engine } from '../../../controller/engine/index.js';
import { writeJournal } from '../../../controller/journal/index.js';
import { batch } from '../../helpers/engine.js';
import { GIT_ENV, gitChildren, gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { crashJournal } from '../../helpers/crash-journal.js';

const ENV = { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'batchctl@localhost' } as const;

const opened: Array<{ repo: TestRepo; engines: Engine[] }> = [];
afterEach(async () => {
  for (const { repo, engines } of opened.splice(0)) {
    for (const engine of engines) await engine.close();
    removeRepo(repo);
  }
});

const CELLS = (['sha1', 'sha256'] as const).flatMap((objectFormat) =>
  [false, true].flatMap((linkedWorktree) => [true, false].map((oneShot) => ({ objectFormat, linkedWorktree, oneShot }))),
);

/** Nothing a batch left behind: a clean status, and an object store and refs git finds sound. */
function expectClean(repo: TestRepo): void {
  expect(repo.git('status', '--porcelain', '--untracked-files=all', '--ignored')).toBe('');
  execFileSync('git', ['fsck', '--strict', '--no-progress', '--no-dangling'], { cwd: repo.dir, env: GIT_ENV, stdio: 'pipe' });
}

const trailer = (repo: TestRepo, key: string, rev = 'HEAD'): string =>
  repo.git('log', '-1', `--format=%(trailers:key=${key},valueonly)`, rev).trim();
const blob = (repo: TestRepo, rev: string): string => repo.git('rev-parse', rev).trim();

const journal = crashJournal;

describe.each(CELLS)(
  'the engine in a $objectFormat repository (linked worktree: $linkedWorktree, one-shot: $oneShot)',
  ({ objectFormat, linkedWorktree, oneShot }) => {
    it('runs a batch that writes and deletes, rolls it back, recovers from crashes and reindexes', async () => {
      const repo = gitRepo({ 'a.txt': 'a1\n', 'gone.txt': 'bye\n', 'dir/keep.txt': 'keep\n' }, { objectFormat, linkedWorktree });
      const cell = { repo, engines: [] as Engine[] };
      opened.push(cell);
      const open = async (db?: string): Promise<Engine> => {
        const engine = await openEngine({ repo: repo.dir, env: ENV, ...(db ? { db } : {}) });
        cell.engines.push(engine);
        return engine;
      };
      // One-shot: every action opens its own engine and closes it, as CLI commands do; long-lived:
      // one engine (and its one object reader) serves them all.
      let current = await open();
      const use = async (): Promise<Engine> => {
        if (oneShot) {
          await current.close();
          current = await open();
        }
        return current;
      };
      const gitDir = repo.git('rev-parse', '--absolute-git-dir').trim();
      const stateDir = join(gitDir, 'batchctl');
      const oidLength = objectFormat === 'sha1' ? 40 : 64;
      const mainBefore = linkedWorktree ? execFileSync('git', ['rev-parse', 'main'], { cwd: repo.dir, encoding: 'utf8' }).trim() : '';
      const start = repo.head();

      // 1. A write, a new file and a delete.
      const result = await (
        await use()
      ).run(
        batch({
          title: 'write and delete',
          operations: [
            { type: 'write', target: 'a.txt', content: 'a2\n' },
            { type: 'write', target: 'new/n.txt', content: 'n\n' },
            { type: 'delete', target: 'gone.txt' },
          ],
        }),
      );
      expect(result).toMatchObject({ status: 'completed', success_count: 3, failure_count: 0, tag: `batch/${result.batch_id}` });
      expect(result.commit).toHaveLength(oidLength);
      expect(repo.head()).toBe(result.commit);
      expect(trailer(repo, 'Batch-Id')).toBe(result.batch_id);
      expect(trailer(repo, 'Batch-Operations')).toBe('3');
      expect(blob(repo, `batch/${result.batch_id}^{commit}`)).toBe(result.commit);
      expect(repo.read('a.txt')).toBe('a2\n');
      expect(repo.git('show', 'HEAD:new/n.txt')).toBe('n\n');
      expect(repo.git('ls-tree', '-r', '--name-only', 'HEAD').split('\n')).not.toContain('gone.txt');
      expect((await use()).status(result.batch_id).batch).toMatchObject({ status: 'completed', commit_sha: result.commit });
      expectClean(repo);

      // 2. Its rollback: one commit, every path as before the batch.
      const rollback = await (await use()).rollback(result.batch_id);
      expect(rollback).toMatchObject({
        success: true,
        restored: ['a.txt', 'gone.txt'],
        deleted: ['new/n.txt'],
        tag: `rollback/${result.batch_id}`,
      });
      expect(repo.head()).toBe(rollback.commit);
      expect(trailer(repo, 'Reverts-Batch')).toBe(result.batch_id);
      expect(trailer(repo, 'Batch-Id')).toBe(rollback.rollback_batch_id);
      expect(blob(repo, `rollback/${result.batch_id}^{commit}`)).toBe(rollback.commit);
      expect(repo.read('a.txt')).toBe('a1\n');
      expect(repo.read('gone.txt')).toBe('bye\n');
      expect(repo.git('diff', '--name-only', start, 'HEAD').trim()).toBe('batch-control.json');
      expect((await use()).status(result.batch_id).batch.status).toBe('rolled_back');
      expectClean(repo);

      // 3. A crash while applying (a write half done, a file deleted, one created; the index is only
      // touched after the commit): all restored.
      const beforeCrash = repo.snapshot();
      await writeJournal(
        stateDir,
        journal(repo, {
          touched: [
            { path: 'a.txt', before: { oid: blob(repo, 'HEAD:a.txt'), mode: '100644' } },
            { path: 'gone.txt', before: { oid: blob(repo, 'HEAD:gone.txt'), mode: '100644' } },
            { path: 'made/m.txt', before: null },
          ],
        }),
      );
      repo.write('a.txt', 'half written');
      rmSync(join(repo.dir, 'gone.txt'));
      repo.write('made/m.txt', 'created');
      expect(await (await use()).recover()).toMatchObject({ action: 'restored', paths: 3 });
      expect(repo.snapshot()).toBe(beforeCrash);
      expectClean(repo);

      // 4. A crash after the refs moved, before the index caught up with a delete: finished.
      const landed = await (await use()).run(batch({ title: 'delete keep', operations: [{ type: 'delete', target: 'dir/keep.txt' }] }));
      expect(landed.status).toBe('completed');
      const parent = blob(repo, `${landed.commit}^`);
      repo.git('update-index', '--add', '--cacheinfo', `100644,${blob(repo, `${parent}:dir/keep.txt`)},dir/keep.txt`);
      await writeJournal(
        stateDir,
        journal(repo, {
          batch_id: landed.batch_id,
          state: 'committing',
          head: parent,
          commit: landed.commit,
          touched: [{ path: 'dir/keep.txt', before: { oid: blob(repo, `${parent}:dir/keep.txt`), mode: '100644' } }],
        }),
      );
      expect(repo.git('status', '--porcelain')).not.toBe('');
      expect(await (await use()).recover()).toMatchObject({ action: 'finished', batch_id: landed.batch_id });
      expect(repo.head()).toBe(landed.commit);
      expect(repo.git('ls-files', 'dir')).toBe('');
      expectClean(repo);

      // 5. Reindex into a new database: the three committed batches come back from git.
      const fresh = await open(join(repo.home ?? repo.dir, 'reindexed.db'));
      expect(await fresh.reindex()).toMatchObject({ batches_found: 3, inserted: 3 });
      expect(fresh.status(result.batch_id).batch).toMatchObject({ status: 'rolled_back', commit_sha: result.commit });
      expect(fresh.status(rollback.rollback_batch_id ?? '').batch).toMatchObject({ status: 'completed', commit_sha: rollback.commit });
      expect(fresh.status(landed.batch_id).batch).toMatchObject({
        status: 'completed',
        commit_sha: landed.commit,
        tag: `batch/${landed.batch_id}`,
      });

      // The main worktree of a linked one saw none of it.
      if (linkedWorktree) {
        const main = join(repo.home ?? '', 'main');
        expect(execFileSync('git', ['rev-parse', 'main'], { cwd: main, encoding: 'utf8' }).trim()).toBe(mainBefore);
        expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: main, encoding: 'utf8' })).toBe('');
      }

      // Closing the engines ends their object readers (one `git cat-file --batch` each): none is left.
      expect(gitChildren('cat-file').length).toBeGreaterThan(0);
      for (const opened of cell.engines.splice(0)) await opened.close(); // waits for the reader's git to exit
      expect(gitChildren('cat-file')).toEqual([]);
    });
  },
);

describe.each([false, true])('a ref update that fails without a lost race (linked worktree: %s)', (linkedWorktree) => {
  it.each(['HEAD.lock', 'branch'])(
    'is reported as REF_LOCKED, not HEAD_MOVED, while another process holds %s, and changes nothing',
    async (held) => {
      const repo = gitRepo({ 'a.txt': 'a1\n', 'gone.txt': 'bye\n' }, { linkedWorktree });
      const cell = { repo, engines: [] as Engine[] };
      opened.push(cell);
      const engine = await openEngine({ repo: repo.dir, env: ENV });
      cell.engines.push(engine);
      // HEAD.lock is the worktree's own; its branch's lock is in the common directory
      const branch = repo.git('symbolic-ref', 'HEAD').trim();
      const where = repo.git('rev-parse', '--path-format=absolute', held === 'HEAD.lock' ? '--git-dir' : '--git-common-dir').trim();
      writeFileSync(join(where, held === 'HEAD.lock' ? 'HEAD.lock' : `${branch}.lock`), '');
      const before = repo.snapshot();

      const result = await engine.run(
        batch({
          operations: [
            { type: 'write', target: 'a.txt', content: 'a2\n' },
            { type: 'delete', target: 'gone.txt' },
          ],
        }),
      );
      expect(result).toMatchObject({ status: 'failed', commit: null, tag: null, reason: { code: 'REF_LOCKED' } });
      expect(engine.status(result.batch_id).batch).toMatchObject({ status: 'failed', reason_code: 'REF_LOCKED' });
      expect(repo.snapshot()).toBe(before); // work tree, index, HEAD and every ref as they were
    },
  );
});
