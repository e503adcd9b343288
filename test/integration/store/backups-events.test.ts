// store.backups and store.events: backup refs with expiry, and the global event sequence.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStore, type BackupRow, type Store } from '../../../controller/store/index.js';
import { tempDbFile } from './fixtures.js';

function backup(overrides: Partial<BackupRow> & Pick<BackupRow, 'backup_id'>): BackupRow {
  return {
    batch_id: 'b-1',
    backup_path: `refs/batchctl/backups/${overrides.batch_id ?? 'b-1'}`,
    created_at: '2025-01-01T00:00:00.000Z',
    expires_at: '2025-01-31T00:00:00.000Z',
    restored: false,
    ...overrides,
  };
}

describe('store.backups', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore({ file: tempDbFile() });
  });
  afterEach(() => store.close());

  it("lists a batch's backups with restored as a boolean", () => {
    store.backups.insert(backup({ backup_id: 'bk-1' }));
    store.backups.insert(backup({ backup_id: 'bk-2', batch_id: 'b-2' }));
    expect(store.backups.listByBatch('b-1')).toEqual([backup({ backup_id: 'bk-1' })]);
  });

  it('marks a backup restored, and reports an unknown one', () => {
    store.backups.insert(backup({ backup_id: 'bk-1' }));
    expect(store.backups.markRestored('bk-1')).toBe(true);
    expect(store.backups.markRestored('bk-missing')).toBe(false);
    expect(store.backups.listByBatch('b-1')[0]?.restored).toBe(true);
  });

  it('returns the backups expired at a given time, oldest expiry first', () => {
    store.backups.insert(backup({ backup_id: 'bk-late', expires_at: '2025-03-01T00:00:00.000Z' }));
    store.backups.insert(backup({ backup_id: 'bk-due', expires_at: '2025-02-01T00:00:00.000Z' }));
    store.backups.insert(backup({ backup_id: 'bk-early', expires_at: '2025-01-15T00:00:00.000Z' }));
    const expired = store.backups.expired('2025-02-01T00:00:00.000Z').map((b) => b.backup_id);
    expect(expired).toEqual(['bk-early', 'bk-due']);
  });
});

describe('store.events', () => {
  let file: string;
  let store: Store;
  beforeEach(() => {
    file = tempDbFile();
    store = openStore({ file });
  });
  afterEach(() => store.close());

  it('starts a fresh store at seq 0', () => {
    expect(store.events.lastSeq()).toBe(0);
    expect(store.events.list({ limit: 10 })).toEqual([]);
  });

  it('returns the full envelope and lists it back with its data parsed', () => {
    const event = store.events.append({
      type: 'batch_started',
      batch_id: 'b-1',
      at: '2025-01-01T00:00:00.000Z',
      data: { total: 3, ops: ['write'] },
    });
    expect(event).toEqual({
      seq: 1,
      type: 'batch_started',
      batch_id: 'b-1',
      at: '2025-01-01T00:00:00.000Z',
      data: { total: 3, ops: ['write'] },
    });
    expect(store.events.list({ limit: 10 })).toEqual([event]);
  });

  it('keeps seq strictly increasing across a re-open', () => {
    const at = '2025-01-01T00:00:00.000Z';
    const first = [1, 2, 3].map(() => store.events.append({ type: 'batch_progress', batch_id: 'b-1', at, data: {} }).seq);
    store.close();
    store = openStore({ file });
    expect(store.events.lastSeq()).toBe(3);
    const next = store.events.append({ type: 'control_changed', batch_id: null, at, data: {} }).seq;
    expect([...first, next]).toEqual([1, 2, 3, 4]);
  });

  it('never hands out a seq again after the newest events are purged', () => {
    const at = '2025-01-01T00:00:00.000Z';
    for (let i = 0; i < 3; i += 1) store.events.append({ type: 'batch_progress', batch_id: 'b-1', at, data: {} });
    // A second connection, as the purge job of another process would be.
    const purge = new Database(file);
    purge.prepare('DELETE FROM batch_events').run();
    purge.close();
    expect(store.events.lastSeq()).toBe(3);
    expect(store.events.append({ type: 'batch_progress', batch_id: 'b-1', at, data: {} }).seq).toBe(4);
  });

  it('resumes after a seq and filters by batch', () => {
    const at = '2025-01-01T00:00:00.000Z';
    for (const batch_id of ['b-1', 'b-2', 'b-1', null, 'b-1']) {
      store.events.append({ type: 'batch_progress', batch_id, at, data: {} });
    }
    expect(store.events.list({ afterSeq: 2, limit: 10 }).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(store.events.list({ batchId: 'b-1', limit: 10 }).map((e) => e.seq)).toEqual([1, 3, 5]);
    expect(store.events.list({ batchId: 'b-1', afterSeq: 1, limit: 1 }).map((e) => e.seq)).toEqual([3]);
  });
});
