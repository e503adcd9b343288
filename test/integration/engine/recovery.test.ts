import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { readJournal, writeJournal } from '../../../controller/journal/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { crashJournal } from '../../helpers/crash-journal.js';

const repos: TestRepo[] = [];
const engines: Engine[] = [];
async function setup(files: Record<string, string> = {}): Promise<{ repo: TestRepo; engine: Engine; stateDir: string }> {
  const repo = gitRepo(files);
  const engine = await engineFor(repo);
  repos.push(repo);
  engines.push(engine);
  return { repo, engine, stateDir: join(repo.dir, '.git', 'batchctl') };
}
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close();
  for (const repo of repos.splice(0)) removeRepo(repo);
});

const journal = crashJournal;

describe('crash recovery from the journal', () => {
  it('restores every touched path when the crash came before the commit', async () => {
    const { repo, engine, stateDir } = await setup({ 'a.txt': 'original', 'gone.txt': 'keep me' });
    const before = repo.snapshot();
    const blob = (path: string): string => repo.git('rev-parse', `HEAD:${path}`).trim();
    await writeJournal(
      stateDir,
      journal(repo, {
        touched: [
          { path: 'a.txt', before: { oid: blob('a.txt'), mode: '100644' } },
          { path: 'gone.txt', before: { oid: blob('gone.txt'), mode: '100644' } },
          { path: 'new/file.txt', before: null },
        ],
      }),
    );
    // The half-applied work tree a SIGKILL could leave.
    repo.write('a.txt', 'half written');
    repo.git('rm', '-q', '--cached', 'gone.txt');
    repo.git('reset', '-q', 'gone.txt');
    writeFileSync(join(repo.dir, 'gone.txt'), 'x');
    repo.write('new/file.txt', 'created');
    repo.git('reset', '-q');

    const report = await engine.recover();
    expect(report).toMatchObject({ action: 'restored', paths: 3 });
    expect(repo.snapshot()).toBe(before);
    expect(await readJournal(stateDir)).toBeNull();
  });

  it('finishes a batch whose commit landed before the crash (index and record)', async () => {
    const { repo, engine, stateDir } = await setup({ 'a.txt': 'v1' });
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'v2' }] }));
    const parent = repo.git('rev-parse', 'HEAD^').trim();
    const oldBlob = repo.git('rev-parse', 'HEAD^:a.txt').trim();
    // Crash after the refs moved but before the index refresh and the final record.
    repo.git('update-index', '--cacheinfo', `100644,${oldBlob},a.txt`);
    await writeJournal(
      stateDir,
      journal(repo, {
        batch_id: result.batch_id,
        state: 'committing',
        head: parent,
        commit: result.commit,
        touched: [{ path: 'a.txt', before: { oid: oldBlob, mode: '100644' } }],
      }),
    );
    expect(repo.git('status', '--porcelain')).not.toBe('');

    expect(await engine.recover()).toMatchObject({ action: 'finished', batch_id: result.batch_id });
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.head()).toBe(result.commit);
    expect(engine.status(result.batch_id).batch).toMatchObject({ status: 'completed', tag: `batch/${result.batch_id}` });
  });

  it('brings batch-control.json up to the committed control state, and sweeps a temp file left next to it', async () => {
    const { repo, engine, stateDir } = await setup({ 'a.txt': 'v1' });
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'a.txt', content: 'v2' }] }));
    const pre = repo.git('rev-parse', `${result.commit}^^`).trim(); // under the batch: its control-state commit
    const before = repo.git('rev-parse', `${pre}:batch-control.json`).trim();
    const after = repo.git('rev-parse', 'HEAD:batch-control.json').trim();
    expect(after).not.toBe(before);
    // Crash after the refs moved, before the control file and the index caught up.
    writeFileSync(join(repo.dir, 'batch-control.json'), repo.git('show', `${pre}:batch-control.json`));
    repo.git('update-index', '--cacheinfo', `100644,${before},batch-control.json`);
    writeFileSync(join(repo.dir, '.batchctl-0123456789ab.tmp'), 'half a control file');
    await writeJournal(
      stateDir,
      journal(repo, {
        batch_id: result.batch_id,
        state: 'committing',
        head: pre,
        commit: result.commit,
        touched: [{ path: 'a.txt', before: { oid: repo.git('rev-parse', `${pre}:a.txt`).trim(), mode: '100644' } }],
        control: { before, after },
      }),
    );
    expect(await engine.recover()).toMatchObject({ action: 'finished' });
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(repo.git('hash-object', 'batch-control.json').trim()).toBe(after);
  });

  it('changes nothing and says so when HEAD moved to a commit the journal does not know', async () => {
    const { repo, engine, stateDir } = await setup({ 'a.txt': 'v1' });
    await writeJournal(stateDir, journal(repo, { touched: [{ path: 'a.txt', before: null }] }));
    repo.write('b.txt', 'someone else');
    repo.commitAll('unrelated commit');
    const before = repo.snapshot();
    await expect(engine.recover()).rejects.toMatchObject({ code: 'RECOVERY_BLOCKED' });
    expect(repo.snapshot()).toBe(before);
    expect(await readJournal(stateDir)).not.toBeNull();
  });

  it('recovers first when the next batch runs', async () => {
    const { repo, engine, stateDir } = await setup({ 'a.txt': 'v1' });
    await writeJournal(stateDir, journal(repo, { touched: [{ path: 'stray.txt', before: null }] }));
    repo.write('stray.txt', 'left by a crash');
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'b.txt', content: 'b' }] }));
    expect(result.status).toBe('completed');
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('b.txt');
  });

  it('takes over a repository lock left by a dead process', async () => {
    const { engine, stateDir } = await setup();
    mkdirSync(join(stateDir, 'repo.lock'), { recursive: true });
    writeFileSync(join(stateDir, 'repo.lock', 'owner.json'), JSON.stringify({ pid: 999_999, hostname: hostname() }));
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'a', content: '' }] }));
    expect(result.status).toBe('completed');
  });
});

describe('stale git locks', () => {
  it('removes the *.lock files a crashed run named in its journal once none of its processes is alive', async () => {
    const { repo, engine, stateDir } = await setup({ 'a.txt': 'v1' });
    const locks = ['index.lock', 'refs/heads/main.lock'];
    const since = new Date(Date.now() - 60_000).toISOString();
    await writeJournal(
      stateDir,
      journal(repo, { touched: [{ path: 'n.txt', before: null }], git_locks: locks.map((file) => ({ file, since })) }),
    );
    repo.write('n.txt', 'half');
    for (const lock of locks) writeFileSync(join(repo.dir, '.git', lock), '');
    expect(await engine.recover()).toMatchObject({ action: 'restored' });
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    for (const lock of locks) expect(existsSync(join(repo.dir, '.git', lock)), lock).toBe(false);
    repo.git('update-ref', 'refs/heads/main', 'HEAD'); // would fail while the branch lock is left
  });

  it('refuses to recover while a process of the interrupted run is still alive', async () => {
    const { repo, engine, stateDir } = await setup({ 'a.txt': 'v1' });
    // This test process stands in for the live run (same host, a pid that exists).
    await writeJournal(stateDir, journal(repo, { pid: process.ppid, touched: [] }));
    await expect(engine.recover()).rejects.toMatchObject({ code: 'RECOVERY_BLOCKED' });
  });
});
