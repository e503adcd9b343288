// The batch_items table: one row per operation of a batch, written in bulk, read in pages or streamed.
import type Database from 'better-sqlite3';

import type { ItemStatus } from '../domain/index.js';
import { guard, toStoreError } from './store-error.js';
import type { ItemListOptions, ItemRow, LandedItem, StoreItems } from './store.js';

const COLUMNS = [
  'batch_id',
  'item_index',
  'operation',
  'source_path',
  'target_path',
  'status',
  'error_code',
  'error_message',
  'attempts',
  'blob_id',
  'processed_at',
  'op_json',
] as const satisfies readonly (keyof ItemRow)[];
type Column = (typeof COLUMNS)[number];
// Fails to compile when ItemRow gains a field that COLUMNS does not list.
const complete: Exclude<keyof ItemRow, Column> extends never ? true : never = true;
void complete;

const SELECT = `SELECT ${COLUMNS.join(', ')} FROM batch_items`;
const INSERT = `INSERT INTO batch_items (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;
const UPSERT = `${INSERT} ON CONFLICT (batch_id, item_index) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'batch_id' && c !== 'item_index')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}`;

/** Rows fetched per page by iterate: small enough to bound memory, large enough to amortise the query. */
const PAGE_SIZE = 1000;

type Positional = unknown[];

function toPositional(row: ItemRow): Positional {
  return COLUMNS.map((column) => row[column] ?? null);
}

export function createItems(db: Database.Database): StoreItems {
  const insert = db.prepare<Positional>(INSERT);
  const upsert = db.prepare<Positional>(UPSERT);
  const list = db.prepare<[string, number, number], ItemRow>(`${SELECT} WHERE batch_id = ? ORDER BY item_index LIMIT ? OFFSET ?`);
  const listByStatus = db.prepare<[string, string, number, number], ItemRow>(
    `${SELECT} WHERE batch_id = ? AND status = ? ORDER BY item_index LIMIT ? OFFSET ?`,
  );
  const count = db.prepare<[string], number>('SELECT count(*) FROM batch_items WHERE batch_id = ?').pluck();
  const countByStatus = db.prepare<[string, string], number>('SELECT count(*) FROM batch_items WHERE batch_id = ? AND status = ?').pluck();
  // Keyset paging rather than statement.iterate(): an open better-sqlite3 iterator keeps the
  // connection busy and would make every write during the walk throw.
  const page = db.prepare<[string, number, number], ItemRow>(`${SELECT} WHERE batch_id = ? AND item_index > ? ORDER BY item_index LIMIT ?`);

  const landed = db.prepare<[string], LandedItem>(
    "SELECT operation, source_path, target_path, blob_id FROM batch_items WHERE batch_id = ? AND status = 'succeeded' ORDER BY item_index",
  );

  // One transaction per call: one fsync for 100,000 rows instead of one per row (synchronous = FULL).
  const insertAll = db.transaction((rows: Iterable<ItemRow>) => {
    for (const row of rows) insert.run(...toPositional(row));
  });
  const upsertAll = db.transaction((rows: Iterable<ItemRow>) => {
    for (const row of rows) upsert.run(...toPositional(row));
  });

  function* iterate(batchId: string): Generator<ItemRow, void, undefined> {
    let after = -Infinity;
    for (;;) {
      let rows: ItemRow[];
      try {
        rows = page.all(batchId, after, PAGE_SIZE);
      } catch (error) {
        throw toStoreError(error, 'items.iterate');
      }
      yield* rows;
      const last = rows.at(-1);
      if (!last || rows.length < PAGE_SIZE) return;
      after = last.item_index;
    }
  }

  return guard('items', {
    insertMany(rows: Iterable<ItemRow>): void {
      insertAll(rows);
    },

    upsertMany(rows: Iterable<ItemRow>): void {
      upsertAll(rows);
    },

    list(batchId: string, opts: ItemListOptions): ItemRow[] {
      const { limit, offset = 0, status } = opts;
      return status === undefined ? list.all(batchId, limit, offset) : listByStatus.all(batchId, status, limit, offset);
    },

    count(batchId: string, opts: { status?: ItemStatus } = {}): number {
      return (opts.status === undefined ? count.get(batchId) : countByStatus.get(batchId, opts.status)) ?? 0;
    },

    iterate,

    landed: (batchId: string): LandedItem[] => landed.all(batchId),
  });
}
