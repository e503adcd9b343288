// store.batches: one row per batch, its updates, ordering, paging and idempotency keys.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStore, STORE_CONSTRAINT, type Store } from '../../../controller/store/index.js';
import { batchRow, tempDbFile, thrown } from './fixtures.js';

describe('store.batches', () => {
  let file: string;
  let store: Store;

  beforeEach(() => {
    file = tempDbFile();
    store = openStore({ file });
  });
  afterEach(() => store.close());

  it('returns a batch exactly as it was inserted, after a re-open', () => {
    const row = batchRow({ agent: 'claude', options_json: '{"atomic":true}', duration_ms: 1234, priority: 7, source: 'mcp' });
    store.batches.insert(row);
    store.close();
    store = openStore({ file });
    expect(store.batches.get(row.batch_id)).toEqual(row);
  });

  it('returns undefined for a batch it never stored', () => {
    expect(store.batches.get('b-missing')).toBeUndefined();
  });

  it('refuses a second batch with the same id, naming the constraint', () => {
    store.batches.insert(batchRow());
    const error = thrown(() => store.batches.insert(batchRow({ title: 'again' })));
    expect(error.code).toBe('STORE_FAILED');
    expect(error.data).toMatchObject({ constraint: STORE_CONSTRAINT.batchId });
  });

  it('finds a batch by its idempotency key', () => {
    store.batches.insert(batchRow({ batch_id: 'b-1', idempotency_key: 'gen-run-8812' }));
    store.batches.insert(batchRow({ batch_id: 'b-2', idempotency_key: 'gen-run-8813' }));
    expect(store.batches.findByIdempotencyKey('gen-run-8812')?.batch_id).toBe('b-1');
    expect(store.batches.findByIdempotencyKey('nope')).toBeUndefined();
  });

  it('refuses a second batch with the same idempotency key but allows many without one', () => {
    store.batches.insert(batchRow({ batch_id: 'b-1', idempotency_key: 'k' }));
    const error = thrown(() => store.batches.insert(batchRow({ batch_id: 'b-2', idempotency_key: 'k' })));
    expect(error.code).toBe('STORE_FAILED');
    expect(error.data).toMatchObject({ constraint: STORE_CONSTRAINT.idempotencyKey });

    store.batches.insert(batchRow({ batch_id: 'b-3' }));
    store.batches.insert(batchRow({ batch_id: 'b-4' }));
    expect(store.batches.count()).toBe(3);
  });

  it('updates only the columns in the patch', () => {
    store.batches.insert(batchRow());
    const changed = store.batches.update('b-20250101-000000-aaaa', {
      status: 'completed',
      success_count: 3,
      completed_at: '2025-01-01T00:00:05.000Z',
      commit_sha: 'abc123',
    });
    expect(changed).toBe(true);
    expect(store.batches.get('b-20250101-000000-aaaa')).toEqual(
      batchRow({
        status: 'completed',
        success_count: 3,
        completed_at: '2025-01-01T00:00:05.000Z',
        commit_sha: 'abc123',
      }),
    );
  });

  it('sets a column to null when the patch says null, and ignores undefined', () => {
    store.batches.insert(batchRow({ tag: 'batch/x', agent: 'claude' }));
    store.batches.update('b-20250101-000000-aaaa', { tag: null, agent: undefined });
    expect(store.batches.get('b-20250101-000000-aaaa')).toMatchObject({ tag: null, agent: 'claude' });
  });

  it('reports false when updating a batch it never stored', () => {
    expect(store.batches.update('b-missing', { status: 'failed' })).toBe(false);
    expect(store.batches.update('b-missing', {})).toBe(false);
  });

  it('refuses to update a column that is not on the allow-list', () => {
    store.batches.insert(batchRow());
    const patch = { 'status = status; DROP TABLE batch_items; --': 'x' } as never;
    const error = thrown(() => store.batches.update('b-20250101-000000-aaaa', patch));
    expect(error.code).toBe('STORE_FAILED');
    const renamed = thrown(() => store.batches.update('b-20250101-000000-aaaa', { batch_id: 'b-other' } as never));
    expect(renamed.code).toBe('STORE_FAILED');
    expect(store.batches.get('b-20250101-000000-aaaa')).toEqual(batchRow());
  });

  it('lists newest first, breaking ties by insertion order', () => {
    store.batches.insert(batchRow({ batch_id: 'b-old', created_at: '2025-01-01T00:00:00.000Z' }));
    store.batches.insert(batchRow({ batch_id: 'b-new', created_at: '2025-01-03T00:00:00.000Z' }));
    store.batches.insert(batchRow({ batch_id: 'b-mid-1', created_at: '2025-01-02T00:00:00.000Z' }));
    store.batches.insert(batchRow({ batch_id: 'b-mid-2', created_at: '2025-01-02T00:00:00.000Z' }));
    const ids = store.batches.list({ limit: 10 }).map((b) => b.batch_id);
    expect(ids).toEqual(['b-new', 'b-mid-2', 'b-mid-1', 'b-old']);
  });

  it('pages through the list without gaps or repeats', () => {
    for (let i = 0; i < 25; i += 1) {
      store.batches.insert(batchRow({ batch_id: `b-${i}`, created_at: `2025-01-01T00:00:${String(i).padStart(2, '0')}.000Z` }));
    }
    const pages = [0, 10, 20].map((offset) => store.batches.list({ limit: 10, offset }).map((b) => b.batch_id));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, i) => `b-${24 - i}`));
  });

  it('filters the list and the count by status and ecosystem', () => {
    store.batches.insert(batchRow({ batch_id: 'b-1', status: 'completed', ecosystem: 'npm' }));
    store.batches.insert(batchRow({ batch_id: 'b-2', status: 'failed', ecosystem: 'npm' }));
    store.batches.insert(batchRow({ batch_id: 'b-3', status: 'completed', ecosystem: 'pypi' }));
    expect(
      store.batches
        .list({ limit: 10, status: 'completed' })
        .map((b) => b.batch_id)
        .sort(),
    ).toEqual(['b-1', 'b-3']);
    expect(
      store.batches
        .list({ limit: 10, ecosystem: 'npm' })
        .map((b) => b.batch_id)
        .sort(),
    ).toEqual(['b-1', 'b-2']);
    expect(store.batches.list({ limit: 10, status: 'completed', ecosystem: 'pypi' }).map((b) => b.batch_id)).toEqual(['b-3']);
    expect(store.batches.count({ status: 'completed' })).toBe(2);
    expect(store.batches.count({ status: 'running' })).toBe(0);
    expect(store.batches.count()).toBe(3);
  });

  it('rolls back every write of a transaction that throws', () => {
    expect(() =>
      store.transaction(() => {
        store.batches.insert(batchRow({ batch_id: 'b-1' }));
        store.batches.insert(batchRow({ batch_id: 'b-1' }));
      }),
    ).toThrow();
    expect(store.batches.count()).toBe(0);
    expect(
      store.transaction(() => {
        store.batches.insert(batchRow({ batch_id: 'b-2' }));
        return store.batches.count();
      }),
    ).toBe(1);
  });
});
