// The dashboard's charts (docs/dashboard.md#the-routes-it-added): batches per hour by status and the success rate per
// ecosystem over the last `days` days, both aggregated by SQLite (store/batch-stats.ts).
import type { EcosystemRate, HourlyCount } from '../store/index.js';
import type { EngineDeps } from './engine-deps.js';

export interface BatchStats {
  /** the start of the window (ISO), `days` before now */
  since: string;
  hours: HourlyCount[];
  ecosystems: EcosystemRate[];
}

const DAY_MS = 86_400_000;

export function batchStats({ store, now }: Pick<EngineDeps, 'store' | 'now'>, { days }: { days: number }): BatchStats {
  const since = new Date(now().getTime() - days * DAY_MS).toISOString();
  return { since, hours: store.stats.hourly(since), ecosystems: store.stats.ecosystemRates(since) };
}
