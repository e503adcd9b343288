// The dashboard's 7-day charts (docs/dashboard.md#the-routes-it-added), aggregated in SQLite so that a week of
// batches is a few dozen rows on the wire, not the batches themselves. Both read idx_batch_date.
import type Database from 'better-sqlite3';

import { guard } from './store-error.js';

/** Batches created in one UTC hour with one status. */
export interface HourlyCount {
  /** `2026-11-22T10:00:00Z` */
  hour: string;
  status: string;
  count: number;
}

/** One ecosystem's ended batches: completed (and later rolled back) against failed. */
export interface EcosystemRate {
  ecosystem: string;
  batches: number;
  succeeded: number;
  /** succeeded / batches */
  success_rate: number;
}

export interface StoreBatchStats {
  /** batches created at or after `since` (ISO), by creation hour and status, oldest hour first */
  hourly(since: string): HourlyCount[];
  /**
   * batches created at or after `since` that ran to an outcome, per ecosystem (its own, as in the list).
   * Refused and cancelled batches are left out: the control plane said no, nothing failed (docs/outcomes.md).
   */
  ecosystemRates(since: string): EcosystemRate[];
}

export function createBatchStats(db: Database.Database): StoreBatchStats {
  // created_at is ISO-8601 UTC text: its first 13 characters are the hour.
  const hourly = db.prepare<[string], HourlyCount>(
    `SELECT substr(created_at, 1, 13) || ':00:00Z' AS hour, status, count(*) AS count FROM batch_operations
     WHERE created_at >= ? GROUP BY hour, status ORDER BY hour, status`,
  );
  const rates = db.prepare<[string], EcosystemRate>(
    `SELECT ecosystem, count(*) AS batches, sum(status IN ('completed', 'rolled_back')) AS succeeded,
            CAST(sum(status IN ('completed', 'rolled_back')) AS REAL) / count(*) AS success_rate
     FROM batch_operations WHERE created_at >= ? AND status IN ('completed', 'rolled_back', 'failed')
     GROUP BY ecosystem ORDER BY ecosystem`,
  );
  return guard('stats', {
    hourly: (since: string) => hourly.all(since),
    ecosystemRates: (since: string) => rates.all(since),
  });
}
