// Retention in the metrics tables: finished batches (with their items, by cascade) and events older
// than the window, and when the retention pass last ran. Which statuses count as finished is the
// engine's to say.
import type Database from 'better-sqlite3';

import { guard } from './store-error.js';
import type { RetentionCounts, RetentionPreview, RetentionScope, StoreRetention } from './store.js';

type Params = { before: string; statuses: string; keep: string };

// json_each turns a JSON array parameter into rows: one prepared statement for any number of values.
const BATCHES = `created_at < @before AND status IN (SELECT value FROM json_each(@statuses))
  AND batch_id NOT IN (SELECT value FROM json_each(@keep))`;

function params(scope: RetentionScope, before: string): Params {
  return { before, statuses: JSON.stringify(scope.statuses), keep: JSON.stringify(scope.keep) };
}

export function createRetention(db: Database.Database): StoreRetention {
  const batchIds = db.prepare<Params, string>(`SELECT batch_id FROM batch_operations WHERE ${BATCHES} ORDER BY created_at, id`).pluck();
  const countBatches = db.prepare<Params, number>(`SELECT count(*) FROM batch_operations WHERE ${BATCHES}`).pluck();
  const countItems = db
    .prepare<Params, number>(`SELECT count(*) FROM batch_items WHERE batch_id IN (SELECT batch_id FROM batch_operations WHERE ${BATCHES})`)
    .pluck();
  // ON DELETE CASCADE takes the items with their batch (foreign_keys is on: open-store.ts).
  const deleteBatches = db.prepare<Params>(`DELETE FROM batch_operations WHERE ${BATCHES}`);
  const countEvents = db.prepare<[string], number>('SELECT count(*) FROM batch_events WHERE at < ?').pluck();
  const deleteEvents = db.prepare<[string]>('DELETE FROM batch_events WHERE at < ?');
  const lastDeleted = db.prepare<[string], number | null>('SELECT max(seq) FROM batch_events WHERE at < ?').pluck();
  const markHorizon = db.prepare<[number]>(
    `INSERT INTO event_horizon (id, purged_through) VALUES (1, ?)
     ON CONFLICT (id) DO UPDATE SET purged_through = max(purged_through, excluded.purged_through)`,
  );
  const lastPass = db.prepare<[], string>('SELECT last_pass_at FROM retention_state WHERE id = 1').pluck();
  const markPass = db.prepare<[string]>(
    'INSERT INTO retention_state (id, last_pass_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET last_pass_at = excluded.last_pass_at',
  );

  const counts = (scope: RetentionScope): RetentionCounts => {
    const batches = scope.batchesBefore === null ? null : params(scope, scope.batchesBefore);
    return {
      batches: batches ? (countBatches.get(batches) ?? 0) : 0,
      items: batches ? (countItems.get(batches) ?? 0) : 0,
      events: scope.eventsBefore === null ? 0 : (countEvents.get(scope.eventsBefore) ?? 0),
    };
  };

  const purgeAll = db.transaction((scope: RetentionScope): RetentionCounts => {
    // Counted first: a cascade's rows are not in `changes`.
    const before = counts(scope);
    const batches = scope.batchesBefore === null ? 0 : deleteBatches.run(params(scope, scope.batchesBefore)).changes;
    // Remembered before they go: a subscriber resuming from before them learns of the gap (docs/events.md#replay-and-gaps).
    const horizon = scope.eventsBefore === null ? null : lastDeleted.get(scope.eventsBefore);
    if (horizon !== null && horizon !== undefined) markHorizon.run(horizon);
    const events = scope.eventsBefore === null ? 0 : deleteEvents.run(scope.eventsBefore).changes;
    return { batches, items: before.items, events };
  });

  return guard('retention', {
    preview(scope: RetentionScope): RetentionPreview {
      const ids = scope.batchesBefore === null ? [] : batchIds.all(params(scope, scope.batchesBefore));
      return { ...counts(scope), batch_ids: ids };
    },

    purge(scope: RetentionScope): RetentionCounts {
      return purgeAll(scope);
    },

    lastPassAt(): string | null {
      return lastPass.get() ?? null;
    },

    markPass(at: string): void {
      markPass.run(at);
    },
  });
}
