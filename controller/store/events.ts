// The batch_events table: the audit log and the source of the global event sequence (docs/outcomes.md#exit-codes).
import type Database from 'better-sqlite3';

import type { BatchEvent, EventType } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { guard } from './store-error.js';
import type { EventListOptions, NewEvent, StoreEvents } from './store.js';

interface StoredEvent {
  seq: number;
  type: EventType;
  batch_id: string | null;
  at: string;
  data_json: string;
}

const SELECT = 'SELECT seq, type, batch_id, at, data_json FROM batch_events';

function fromStored({ data_json, ...envelope }: StoredEvent): BatchEvent {
  return { ...envelope, data: JSON.parse(data_json) as Record<string, unknown> };
}

export function createEvents(db: Database.Database): StoreEvents {
  const append = db
    .prepare<[number | null, string, string | null, string, string], number>(
      'INSERT INTO batch_events (seq, type, batch_id, at, data_json) VALUES (?, ?, ?, ?, ?) RETURNING seq',
    )
    .pluck();
  const listAll = db.prepare<[number, number], StoredEvent>(`${SELECT} WHERE seq > ? ORDER BY seq LIMIT ?`);
  const listByBatch = db.prepare<[string, number, number], StoredEvent>(`${SELECT} WHERE batch_id = ? AND seq > ? ORDER BY seq LIMIT ?`);
  // sqlite_sequence keeps the highest seq ever handed out, so lastSeq survives a purge of the newest rows.
  const lastSeq = db.prepare<[], number>("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'batch_events'), 0)").pluck();

  const purgedThrough = db.prepare<[], number>('SELECT coalesce((SELECT purged_through FROM event_horizon WHERE id = 1), 0)').pluck();

  return guard('events', {
    append(event: NewEvent, wantedSeq?: number): BatchEvent {
      const data_json = JSON.stringify(event.data);
      // The engine's bus numbers events in memory (progress events are not stored); a stored event keeps
      // the bus's number unless another process already used it, then it gets the next free one.
      const free = wantedSeq !== undefined && wantedSeq > (lastSeq.get() ?? 0) ? wantedSeq : null;
      const seq = append.get(free, event.type, event.batch_id, event.at, data_json);
      if (seq === undefined) throw new BatchctlError({ code: 'INTERNAL', message: 'events.append: no seq returned' });
      // Round-trip the data through JSON so the envelope equals what list() will return later.
      return { seq, type: event.type, batch_id: event.batch_id, at: event.at, data: JSON.parse(data_json) as Record<string, unknown> };
    },

    list({ batchId, afterSeq = 0, limit }: EventListOptions): BatchEvent[] {
      const rows = batchId === undefined ? listAll.all(afterSeq, limit) : listByBatch.all(batchId, afterSeq, limit);
      return rows.map(fromStored);
    },

    lastSeq(): number {
      return lastSeq.get() ?? 0;
    },

    purgedThrough(): number {
      return purgedThrough.get() ?? 0;
    },
  });
}
