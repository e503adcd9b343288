// The batch_queue table: submitted batches waiting for a worker (docs/lifecycle.md#the-queue). The
// batch row (status `queued`) and its entry are written together; a worker claims an entry by
// deleting it, which only one process can do, so two engines on one database never run it twice.
import type Database from 'better-sqlite3';

import { guard } from './store-error.js';
import type { QueueEntry, StoreQueue } from './store.js';

export function createQueue(db: Database.Database): StoreQueue {
  const add = db.prepare<[string, string, string]>('INSERT INTO batch_queue (batch_id, batch_json, run_json) VALUES (?, ?, ?)');
  // Highest priority first, then oldest: the order a worker runs them in.
  const ids = db
    .prepare<[], string>(
      `SELECT q.batch_id FROM batch_queue q JOIN batch_operations b ON b.batch_id = q.batch_id
       WHERE b.status = 'queued' ORDER BY b.priority DESC, b.created_at, b.id`,
    )
    .pluck();
  const take = db.prepare<[string], QueueEntry>('DELETE FROM batch_queue WHERE batch_id = ? RETURNING batch_id, batch_json, run_json');
  const peek = db.prepare<[string], string>('SELECT run_json FROM batch_queue WHERE batch_id = ?').pluck();
  const count = db.prepare<[], number>('SELECT count(*) FROM batch_queue').pluck();
  return guard('queue', {
    add(entry: QueueEntry): void {
      add.run(entry.batch_id, entry.batch_json, entry.run_json);
    },
    ids(): string[] {
      return ids.all();
    },
    take(batchId: string): QueueEntry | undefined {
      return take.get(batchId);
    },
    peek(batchId: string): string | undefined {
      return peek.get(batchId);
    },
    count(): number {
      return count.get() ?? 0;
    },
  });
}
