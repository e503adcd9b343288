// Issue 11 class 12 in process: recovery finalizes the rows whose run is gone and only those (a live
// owner's row is left, a pid now another process's counts as gone, another host's is not judged), and
// a damaged journal is used for what can still be read of it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { ownIdentity } from '../../../controller/journal/index.js';
import { openStore, type BatchOwner } from '../../../controller/store/index.js';
import { crashJournal } from '../../helpers/crash-journal.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { batchRow } from '../store/fixtures.js';

const setup = useEngineRepos();

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

describe('recovery of rows a dead run left unfinished', () => {
  it('finalizes the rows of dead owners (and of a reused pid), and leaves live and other-host owners alone', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'a\n' });
    const me = ownIdentity();
    const owners: Record<string, BatchOwner> = {
      'b-20261202-000001-dead01': { pid: deadPid(), start: null, boot: null, host: hostname() },
      'b-20261202-000002-reuse1': { pid: me.pid, start: 'not-my-start-time', boot: me.boot, host: hostname() },
      'b-20261202-000003-alive1': { pid: me.pid, start: me.start, boot: me.boot, host: hostname() },
      'b-20261202-000004-remote': { pid: deadPid(), start: null, boot: null, host: 'another-host' },
    };
    const store = openStore({ file: join(repo.dir, '.git', 'batchctl', 'state.db') });
    const statuses = ['queued', 'preflight', 'validating', 'running'] as const;
    Object.entries(owners).forEach(([id, owner], i) => {
      store.batches.insert(batchRow({ batch_id: id, status: statuses[i] ?? 'queued', created_at: `2026-12-02T00:00:0${i}.000Z` }));
      store.batchOwners.set(id, owner);
    });
    store.batches.insert(batchRow({ batch_id: 'b-20261202-000005-noown1', status: 'queued' })); // a queued submission
    store.close();

    expect(await engine.recover()).toBeNull();
    const status = (id: string): unknown => engine.status(id).batch;
    expect(status('b-20261202-000001-dead01')).toMatchObject({ status: 'failed', reason_code: 'INTERRUPTED' });
    expect(status('b-20261202-000002-reuse1')).toMatchObject({ status: 'failed', reason_code: 'INTERRUPTED' });
    expect(status('b-20261202-000003-alive1')).toMatchObject({ status: 'validating', reason_code: null });
    expect(status('b-20261202-000004-remote')).toMatchObject({ status: 'running', reason_code: null });
    expect(status('b-20261202-000005-noown1')).toMatchObject({ status: 'queued', reason_code: null });
  });

  it('a run records its process on its row, and recovery leaves the finished row as it is', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'a\n' });
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'b.txt', content: 'b\n' }] }));
    expect(result.status).toBe('completed');
    const db = new Database(join(repo.dir, '.git', 'batchctl', 'state.db'), { readonly: true });
    const owner = db.prepare('SELECT owner_pid, owner_start, owner_host FROM batch_operations WHERE batch_id = ?').get(result.batch_id);
    db.close();
    expect(owner).toEqual({ owner_pid: process.pid, owner_start: ownIdentity().start, owner_host: hostname() });
    await engine.recover();
    expect(engine.status(result.batch_id).batch).toMatchObject({ status: 'completed' });
  });
});

describe('recovery from a damaged journal', () => {
  it('restores the paths a journal cut short still names, marks the row failed (INTERRUPTED) and keeps the file aside', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'old a\n', 'b.txt': 'old b\n' });
    const before = repo.snapshot();
    const stateDir = join(repo.dir, '.git', 'batchctl');
    const blob = (path: string): string => repo.git('rev-parse', `HEAD:${path}`).trim();
    const id = 'b-20261202-000010-trunc1';
    const store = openStore({ file: join(stateDir, 'state.db') });
    store.batches.insert(batchRow({ batch_id: id, status: 'running' }));
    store.close();
    const text = JSON.stringify(
      crashJournal(repo, {
        batch_id: id,
        touched: [
          { path: 'a.txt', before: { oid: blob('a.txt'), mode: '100644' } },
          { path: 'new.txt', before: null },
          { path: 'b.txt', before: { oid: blob('b.txt'), mode: '100644' } },
        ],
      }),
    );
    // Cut in the middle of the third entry: a.txt and new.txt can be read, b.txt cannot.
    writeFileSync(join(stateDir, 'journal.json'), text.slice(0, text.indexOf('"path":"b.txt"') + 10));
    repo.write('a.txt', 'half written\n');
    repo.write('new.txt', 'created\n');

    expect(await engine.recover()).toMatchObject({ batch_id: id, action: 'restored', paths: 2 });
    expect(repo.snapshot()).toBe(before);
    expect(engine.status(id).batch).toMatchObject({ status: 'failed', reason_code: 'INTERRUPTED' });
    expect(existsSync(join(stateDir, 'journal.json'))).toBe(false);
    expect(readdirSync(stateDir).filter((n) => n.startsWith('journal.json.damaged-'))).toHaveLength(1);
  });

  it('refuses with RECOVERY_BLOCKED naming the file when nothing of it can be read, and changes nothing', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'a\n' });
    const stateDir = join(repo.dir, '.git', 'batchctl');
    const file = join(stateDir, 'journal.json');
    writeFileSync(file, '{"version":1,"batch_id":"b-2026');
    repo.write('a.txt', 'changed by someone\n');
    await expect(engine.recover()).rejects.toMatchObject({ code: 'RECOVERY_BLOCKED', data: { file } });
    expect(repo.read('a.txt')).toBe('changed by someone\n');
    expect(existsSync(file)).toBe(true);
  });
});
