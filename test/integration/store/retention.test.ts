// store.retention: what a purge deletes from the metrics tables, and when the last pass ran.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStore, type RetentionScope, type Store } from '../../../controller/store/index.js';
import { batchRow, itemRow, tempDbFile } from './fixtures.js';

const OLD = '2026-01-01T00:00:00.000Z';
const RECENT = '2026-03-01T00:00:00.000Z';
const CUTOFF = '2026-02-01T00:00:00.000Z';
const scope = (over: Partial<RetentionScope> = {}): RetentionScope => ({
  batchesBefore: CUTOFF,
  statuses: ['completed', 'failed'],
  keep: [],
  eventsBefore: CUTOFF,
  ...over,
});

describe('store.retention', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore({ file: tempDbFile() });
    const rows = [
      batchRow({ batch_id: 'b-old-done', status: 'completed', created_at: OLD }),
      batchRow({ batch_id: 'b-old-failed', status: 'failed', created_at: OLD }),
      batchRow({ batch_id: 'b-old-running', status: 'running', created_at: OLD }),
      batchRow({ batch_id: 'b-recent', status: 'completed', created_at: RECENT }),
    ];
    for (const row of rows) {
      store.batches.insert(row);
      store.items.insertMany([0, 1, 2].map((i) => itemRow({ batch_id: row.batch_id, item_index: i })));
    }
    store.events.append({ type: 'batch_complete', batch_id: 'b-old-done', at: OLD, data: {} });
    store.events.append({ type: 'batch_complete', batch_id: 'b-recent', at: RECENT, data: {} });
  });
  afterEach(() => store.close());

  it('previews the finished batches before the cutoff, their items and the old events, changing nothing', () => {
    expect(store.retention.preview(scope())).toEqual({ batches: 2, items: 6, events: 1, batch_ids: ['b-old-done', 'b-old-failed'] });
    expect(store.batches.count()).toBe(4);
    expect(store.events.list({ limit: 10 })).toHaveLength(2);
  });

  it('deletes them with their items and keeps recent, unfinished and kept batches', () => {
    expect(store.retention.purge(scope({ keep: ['b-old-failed'] }))).toEqual({ batches: 1, items: 3, events: 1 });
    expect(store.batches.get('b-old-done')).toBeUndefined();
    expect(store.items.count('b-old-done')).toBe(0);
    for (const id of ['b-old-failed', 'b-old-running', 'b-recent']) expect(store.items.count(id)).toBe(3);
    expect(store.events.list({ limit: 10 }).map((e) => e.batch_id)).toEqual(['b-recent']);
    // the sequence goes on from the highest number ever given out
    expect(store.events.append({ type: 'recovered', batch_id: null, at: RECENT, data: {} }).seq).toBe(3);
  });

  it('keeps everything of a kind whose cutoff is null (a window of 0 days)', () => {
    expect(store.retention.purge(scope({ batchesBefore: null, eventsBefore: null }))).toEqual({ batches: 0, items: 0, events: 0 });
    expect(store.batches.count()).toBe(4);
  });

  it('remembers when the last pass ran', () => {
    expect(store.retention.lastPassAt()).toBeNull();
    store.retention.markPass(OLD);
    store.retention.markPass(RECENT);
    expect(store.retention.lastPassAt()).toBe(RECENT);
  });

  it('forgets a backup whose ref was purged', () => {
    const backup = {
      backup_id: 'refs/batchctl/backups/b-old-done',
      batch_id: 'b-old-done',
      backup_path: 'refs/batchctl/backups/b-old-done',
      created_at: OLD,
      expires_at: OLD,
      restored: false,
    };
    store.backups.insert(backup);
    expect(store.backups.remove(backup.backup_id)).toBe(true);
    expect(store.backups.remove(backup.backup_id)).toBe(false);
    expect(store.backups.listByBatch('b-old-done')).toEqual([]);
  });
});
