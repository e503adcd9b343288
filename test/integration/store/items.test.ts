// store.items: bulk writes of a batch's per-operation outcomes, paging, upserts and streaming.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openStore, STORE_CONSTRAINT, type ItemRow, type Store } from '../../../controller/store/index.js';
import { batchRow, itemRow, tempDbFile, thrown } from './fixtures.js';

const BATCH = 'b-20250101-000000-aaaa';

function items(count: number, overrides: Partial<ItemRow> = {}): ItemRow[] {
  return Array.from({ length: count }, (_, item_index) => itemRow({ batch_id: BATCH, item_index, ...overrides }));
}

describe('store.items', () => {
  let file: string;
  let store: Store;

  beforeEach(() => {
    file = tempDbFile();
    store = openStore({ file });
    store.batches.insert(batchRow({ batch_id: BATCH }));
  });
  afterEach(() => store.close());

  it('stores and counts 100,000 items of one batch', () => {
    store.items.insertMany(items(100_000));
    expect(store.items.count(BATCH)).toBe(100_000);
    expect(store.items.list(BATCH, { limit: 1, offset: 99_999 })[0]?.item_index).toBe(99_999);
  });

  it("keeps a batch's items when it is re-opened", () => {
    const rows = items(3, { status: 'succeeded', attempts: 1, blob_id: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391' });
    store.items.insertMany(rows);
    store.close();
    store = openStore({ file });
    expect(store.items.list(BATCH, { limit: 10 })).toEqual(rows);
  });

  it('pages items in item_index order, whatever order they were written in', () => {
    store.items.insertMany(items(25).reverse());
    const page = store.items.list(BATCH, { limit: 10, offset: 10 });
    expect(page.map((i) => i.item_index)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(store.items.list(BATCH, { limit: 10, offset: 20 })).toHaveLength(5);
  });

  it('filters the list and the count by status', () => {
    store.items.insertMany(items(10).map((row) => ({ ...row, status: row.item_index % 3 === 0 ? 'failed' : 'succeeded' })));
    expect(store.items.list(BATCH, { limit: 10, status: 'failed' }).map((i) => i.item_index)).toEqual([0, 3, 6, 9]);
    expect(store.items.list(BATCH, { limit: 2, offset: 1, status: 'failed' }).map((i) => i.item_index)).toEqual([3, 6]);
    expect(store.items.count(BATCH, { status: 'succeeded' })).toBe(6);
    expect(store.items.count('b-other')).toBe(0);
  });

  it('writes nothing when one row of insertMany repeats an index', () => {
    const error = thrown(() => store.items.insertMany([...items(5), itemRow({ batch_id: BATCH, item_index: 2 })]));
    expect(error.code).toBe('STORE_FAILED');
    expect(error.data).toMatchObject({ constraint: STORE_CONSTRAINT.itemIndex });
    expect(store.items.count(BATCH)).toBe(0);
  });

  it('refuses items of a batch it never stored', () => {
    const error = thrown(() => store.items.insertMany([itemRow({ batch_id: 'b-missing', item_index: 0 })]));
    expect(error.code).toBe('STORE_FAILED');
    expect(error.data).toMatchObject({ constraint: STORE_CONSTRAINT.foreignKey });
  });

  it('overwrites existing items and adds new ones on upsert', () => {
    store.items.insertMany(items(2));
    const failed = itemRow({
      batch_id: BATCH,
      item_index: 1,
      status: 'failed',
      error_code: 'EEXIST',
      error_message: 'exists',
      attempts: 2,
    });
    const added = itemRow({ batch_id: BATCH, item_index: 2, status: 'succeeded' });
    store.items.upsertMany([failed, added]);
    expect(store.items.list(BATCH, { limit: 10 })).toEqual([items(1)[0], failed, added]);
  });

  it('streams every item in order and lets the caller write while it walks', () => {
    store.items.insertMany(items(2_500));
    const seen: number[] = [];
    for (const item of store.items.iterate(BATCH)) {
      seen.push(item.item_index);
      if (item.item_index % 1000 === 0) store.items.upsertMany([{ ...item, status: 'reverted' }]);
    }
    expect(seen).toEqual(Array.from({ length: 2_500 }, (_, i) => i));
    expect(store.items.count(BATCH, { status: 'reverted' })).toBe(3);
  });

  it('streams nothing for a batch without items', () => {
    expect([...store.items.iterate('b-missing')]).toEqual([]);
  });
});
