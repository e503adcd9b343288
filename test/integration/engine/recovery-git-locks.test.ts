// Issue 9 A7: crash recovery removes only the git lock files the interrupted run could have left
// (the journal names them before the run takes them), and never one a live process may be using.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { JournalRecord } from '../../../controller/domain/index.js';
import type { Engine } from '../../../controller/engine/index.js';
import { gitLocksFor, readJournal, removeRunGitLocks, writeJournal } from '../../../controller/journal/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { GIT_ENV, gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { crashJournal } from '../../helpers/crash-journal.js';

const repos: TestRepo[] = [];
const engines: Engine[] = [];
const children: ChildProcess[] = [];
async function setup(files: Record<string, string>): Promise<{ repo: TestRepo; engine: Engine; stateDir: string; gitDir: string }> {
  const repo = gitRepo(files);
  const engine = await engineFor(repo);
  repos.push(repo);
  engines.push(engine);
  return { repo, engine, stateDir: join(repo.dir, '.git', 'batchctl'), gitDir: join(repo.dir, '.git') };
}
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const engine of engines.splice(0)) engine.close();
  for (const repo of repos.splice(0)) removeRepo(repo);
});

/** A moment before the test creates its lock files: when the run recorded that it may take them. */
const earlier = (): string => new Date(Date.now() - 60_000).toISOString();

const journal = (repo: TestRepo, over: Partial<JournalRecord>): JournalRecord => crashJournal(repo, { started_at: earlier(), ...over });

/** A committed batch whose run "crashed" after HEAD moved, before the index learnt the batch's path. */
async function committedButIndexBehind(
  repo: TestRepo,
  engine: Engine,
  stateDir: string,
  over: Partial<JournalRecord> = {},
): Promise<string> {
  const result = await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'v2' }] }));
  const commit = result.commit ?? '';
  const oldBlob = repo.git('rev-parse', 'HEAD^:a.txt').trim();
  repo.git('update-index', '--cacheinfo', `100644,${oldBlob},a.txt`);
  await writeJournal(
    stateDir,
    journal(repo, {
      batch_id: result.batch_id,
      state: 'committing',
      head: repo.git('rev-parse', 'HEAD^').trim(),
      commit,
      touched: [{ path: 'a.txt', before: { oid: oldBlob, mode: '100644' } }],
      ...over,
    }),
  );
  return result.batch_id;
}

/**
 * `git commit -a` stopped in its editor, as a person at a terminal leaves it: git holds index.lock
 * (with the file closed) until the editor exits. `release` ends the editor with an empty message,
 * so git aborts the commit and drops its own lock.
 */
async function holdIndexLock(repo: TestRepo): Promise<{ release: () => Promise<number | null> }> {
  const fifo = join(repo.dir, '.git', 'release-editor');
  execFileSync('mkfifo', [fifo]);
  const editor = join(repo.dir, '.git', 'editor.sh');
  writeFileSync(editor, '#!/bin/sh\necho editor-open\nread line < "$RELEASE"\n: > "$1"\n');
  chmodSync(editor, 0o755);
  const child = spawn('git', ['commit', '-a'], {
    cwd: repo.dir,
    env: { ...GIT_ENV, GIT_EDITOR: editor, RELEASE: fifo },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('editor-open') && resolve());
    exited.then(() => reject(new Error('git commit exited before its editor opened')), reject);
  });
  return {
    release: async () => {
      await writeFile(fifo, 'go\n');
      return exited;
    },
  };
}

/** `git update-index --index-info`, as the run starts it, SIGKILLed once it holds index.lock. */
async function killedHoldingIndexLock(repo: TestRepo, gitDir: string): Promise<void> {
  const child = spawn('git', ['update-index', '-z', '--index-info'], { cwd: repo.dir, env: GIT_ENV, stdio: ['pipe', 'ignore', 'ignore'] });
  children.push(child);
  const lock = join(gitDir, 'index.lock');
  await new Promise<void>((resolve) => {
    const watcher = watch(gitDir, (_, name) => {
      if (name === 'index.lock' && existsSync(lock)) done();
    });
    const done = (): void => {
      watcher.close();
      resolve();
    };
    if (existsSync(lock)) done();
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  expect(existsSync(lock)).toBe(true);
}

describe('git lock files at crash recovery', () => {
  it("leaves a live git commit's index.lock alone and refuses, naming the lock, until that commit is done", async () => {
    const { repo, engine, stateDir, gitDir } = await setup({ 'a.txt': 'v1', 'notes.txt': 'n1' });
    // The run recorded index.lock among the locks it may take: the record alone is no proof.
    const batchId = await committedButIndexBehind(repo, engine, stateDir, { git_locks: [{ file: 'index.lock', since: earlier() }] });
    repo.write('notes.txt', 'the user is committing this');
    const held = await holdIndexLock(repo);
    const lock = join(gitDir, 'index.lock');
    expect(existsSync(lock)).toBe(true);

    await expect(engine.recover()).rejects.toMatchObject({ code: 'RECOVERY_BLOCKED', data: { batch_id: batchId, lock } });
    expect(existsSync(lock)).toBe(true);
    expect(await readJournal(stateDir)).not.toBeNull();

    expect(await held.release()).toBe(1); // git aborted on the empty message: its lock was its own to the end
    expect(existsSync(lock)).toBe(false);
    expect(await engine.recover()).toMatchObject({ action: 'finished', batch_id: batchId });
    expect(repo.git('status', '--porcelain')).toBe(' M notes.txt\n');
    expect(await readJournal(stateDir)).toBeNull();
  });

  it("a batch whose index refresh meets a live git commit leaves that commit's lock alone and says so", async () => {
    const { repo, engine, stateDir, gitDir } = await setup({ 'a.txt': 'v1', 'notes.txt': 'n1' });
    repo.write('notes.txt', 'the user is committing this');
    const held = await holdIndexLock(repo);
    const lock = join(gitDir, 'index.lock');

    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'v2' }] }));
    // HEAD moved (the ref transaction does not need the index): the batch is committed, never failed
    // (issue 11, class 2); the index refresh is what is left, for `recover`.
    expect(result).toMatchObject({ status: 'completed', commit: repo.head(), pending: { code: 'RECOVERY_BLOCKED', data: { lock } } });
    expect(result.reason).toBeUndefined();
    expect(repo.git('log', '--format=%s').trim().split('\n')).not.toContainEqual(expect.stringMatching(/\(failure\)$/));
    expect(existsSync(join(stateDir, 'pending-failures.json'))).toBe(false);
    expect(existsSync(lock)).toBe(true);
    expect(await readJournal(stateDir)).not.toBeNull();

    await held.release();
    expect(await engine.recover()).toMatchObject({ action: 'finished', batch_id: result.batch_id });
    expect(engine.status(result.batch_id).batch).toMatchObject({ status: 'completed' });
    expect(repo.git('status', '--porcelain')).toBe(' M notes.txt\n');
  });

  it('keeps a lock the interrupted run never recorded, and restores without it', async () => {
    const { repo, engine, stateDir, gitDir } = await setup({ 'a.txt': 'v1' });
    await writeJournal(stateDir, journal(repo, { touched: [{ path: 'n.txt', before: null }] }));
    repo.write('n.txt', 'half');
    // Made after the crash, as a concurrent git would: the run was applying and had taken no git lock.
    for (const name of ['index.lock', 'refs/heads/main.lock']) writeFileSync(join(gitDir, name), '');

    expect(await engine.recover()).toMatchObject({ action: 'restored' });
    expect(existsSync(join(gitDir, 'index.lock'))).toBe(true);
    expect(existsSync(join(gitDir, 'refs/heads/main.lock'))).toBe(true);
    expect(existsSync(join(repo.dir, 'n.txt'))).toBe(false);
  });

  it('keeps a recorded lock that existed before the run recorded it (another process took it first)', async () => {
    const { repo, engine, stateDir, gitDir } = await setup({ 'a.txt': 'v1' });
    writeFileSync(join(gitDir, 'refs/heads/main.lock'), '');
    const later = new Date(Date.now() + 5_000).toISOString();
    await writeJournal(
      stateDir,
      journal(repo, { touched: [{ path: 'n.txt', before: null }], git_locks: [{ file: 'refs/heads/main.lock', since: later }] }),
    );
    expect(await engine.recover()).toMatchObject({ action: 'restored' });
    expect(existsSync(join(gitDir, 'refs/heads/main.lock'))).toBe(true);
  });

  it('removes the stale locks the crashed run recorded and left, and finishes the batch', async () => {
    const { repo, engine, stateDir, gitDir } = await setup({ 'a.txt': 'v1' });
    const names = ['index.lock', 'HEAD.lock', 'refs/heads/main.lock'];
    const batchId = await committedButIndexBehind(repo, engine, stateDir, { git_locks: names.map((file) => ({ file, since: earlier() })) });
    // The run's own index refresh, killed while it held index.lock; and the ref locks a killed
    // update-ref leaves (plain files: no process is behind them either).
    await killedHoldingIndexLock(repo, gitDir);
    for (const name of names.slice(1)) writeFileSync(join(gitDir, name), '');

    expect(await engine.recover()).toMatchObject({ action: 'finished', batch_id: batchId });
    for (const name of names) expect(existsSync(join(gitDir, name)), name).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe('');
    repo.write('b.txt', 'b');
    repo.commitAll('git works again'); // would fail on a left index.lock or branch lock
  });

  it('keeps the locks of a run on another host (a shared repository): its processes cannot be seen from here', async () => {
    const { repo, engine, stateDir, gitDir } = await setup({ 'a.txt': 'v1' });
    await writeJournal(
      stateDir,
      journal(repo, { hostname: 'another-host', touched: [], git_locks: [{ file: 'refs/heads/main.lock', since: earlier() }] }),
    );
    writeFileSync(join(gitDir, 'refs/heads/main.lock'), '');
    expect(await engine.recover()).toMatchObject({ action: 'restored' });
    expect(existsSync(join(gitDir, 'refs/heads/main.lock'))).toBe(true);
  });

  it('never follows a recorded name out of the git directory', async () => {
    const { repo, engine, stateDir } = await setup({ 'a.txt': 'v1' });
    const outside = join(repo.dir, 'work.lock');
    repo.write('work.lock', 'a tracked file that merely ends in .lock');
    repo.commitAll('a file named like a lock');
    await writeJournal(stateDir, journal(repo, { touched: [], git_locks: [{ file: '../work.lock', since: earlier() }] }));
    expect(await engine.recover()).toMatchObject({ action: 'restored' });
    expect(existsSync(outside)).toBe(true);
  });
});

describe('lock files in a linked worktree', () => {
  it('names each lock where git keeps it (HEAD and index per worktree, branches and tags shared) and removes it there', async () => {
    const repo = gitRepo({ 'a.txt': 'v1' });
    repos.push(repo);
    const linked = `${repo.dir}-linked`;
    repo.git('worktree', 'add', '-q', '-b', 'side', linked);
    const gitDir = repo.git('-C', linked, 'rev-parse', '--absolute-git-dir').trim();
    const common = join(repo.dir, '.git');
    try {
      const locks = await gitLocksFor({ gitDir, refs: ['HEAD', 'refs/tags/batch/x'], index: true, now: new Date(Date.now() - 60_000) });
      const files = locks.map((l) => resolve(gitDir, l.file)).sort();
      const expected = [
        join(gitDir, 'index.lock'),
        join(gitDir, 'HEAD.lock'),
        join(common, 'refs/heads/side.lock'),
        join(common, 'refs/tags/batch/x.lock'),
      ].sort();
      expect(files).toEqual(expected);
      mkdirSync(join(common, 'refs/tags/batch'), { recursive: true });
      for (const file of files) writeFileSync(file, '');
      const sweep = await removeRunGitLocks({ gitDir, root: linked, locks });
      expect(sweep.removed.sort()).toEqual(expected);
      for (const file of files) expect(existsSync(file), file).toBe(false);
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });
});
