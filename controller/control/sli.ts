// Service-level indicators per ecosystem (docs/control-file.md): success rate over batches and over operations,
// duration percentiles, rollbacks, each ecosystem's SLO and a severity. Pure: rows and policy in.
import type { Policy } from '../domain/index.js';
import type { EcosystemOutcome } from './ecosystem-outcomes.js';

export interface SliRow {
  ecosystem: string;
  /** the other ecosystems the batch touched, comma-separated; it counts for each (docs/control-file.md#slis) */
  other_ecosystems?: string | null;
  /** JSON of each ecosystem's share (ecosystem-outcomes.ts); null: the batch's counts for each */
  ecosystem_outcomes?: string | null;
  /** completed, failed or rolled_back (a batch that ran) */
  status: string;
  success_count: number;
  failure_count: number;
  duration_ms: number | null;
  source: string;
}

/** Each ecosystem's share of a row, when recorded and readable. */
function sharesOf(row: SliRow): Record<string, Partial<EcosystemOutcome>> | null {
  if (!row.ecosystem_outcomes) return null;
  try {
    const shares = JSON.parse(row.ecosystem_outcomes) as unknown;
    return typeof shares === 'object' && shares !== null ? (shares as Record<string, Partial<EcosystemOutcome>>) : null;
  } catch {
    return null; // written by batchctl only: a row this cannot read counts as before the column
  }
}

/**
 * The samples a row gives each ecosystem (docs/control-file.md#multi-ecosystem-outcomes): with shares,
 * each ecosystem's own step counts, and a failed batch is no sample for an ecosystem whose operations
 * did not fail; without, the whole row for each.
 */
function samplesOf(row: SliRow): Array<[string, SliRow]> {
  const others = row.other_ecosystems ? row.other_ecosystems.split(',') : [];
  const shares = sharesOf(row);
  return [row.ecosystem, ...others].flatMap((ecosystem): Array<[string, SliRow]> => {
    const share = shares?.[ecosystem];
    if (!share) return [[ecosystem, row]];
    if (share.outcome === 'none') return [];
    return [[ecosystem, { ...row, success_count: share.succeeded ?? 0, failure_count: share.failed ?? 0 }]];
  });
}

export type Severity = 'ok' | 'warning' | 'critical';

export interface EcosystemSli {
  ecosystem: string;
  batches: number;
  batch_success_rate: number;
  operations: number;
  operation_success_rate: number;
  p50_ms: number | null;
  p95_ms: number | null;
  rollbacks: number;
  slo: number;
  severity: Severity;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null;
}

export function severityOf(rate: number, slo: number): Severity {
  if (rate < 0.5) return 'critical';
  return rate < slo ? 'warning' : 'ok';
}

export function computeSlis(rows: readonly SliRow[], policy: Pick<Policy, 'slo'>): EcosystemSli[] {
  const byEcosystem = new Map<string, SliRow[]>();
  // Rollback batches are the response to a problem, not a sample of the generator's work.
  for (const [ecosystem, sample] of rows.filter((r) => r.source !== 'rollback').flatMap(samplesOf)) {
    const list = byEcosystem.get(ecosystem) ?? [];
    list.push(sample);
    byEcosystem.set(ecosystem, list);
  }
  return [...byEcosystem.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([ecosystem, list]) => {
      const good = list.filter((r) => r.status !== 'failed').length;
      const okOps = list.reduce((n, r) => n + r.success_count, 0);
      const allOps = list.reduce((n, r) => n + r.success_count + r.failure_count, 0);
      const durations = list.flatMap((r) => (r.duration_ms === null ? [] : [r.duration_ms])).sort((a, b) => a - b);
      const rate = good / list.length;
      const slo = policy.slo[ecosystem] ?? policy.slo.default ?? 0.98;
      return {
        ecosystem,
        batches: list.length,
        batch_success_rate: rate,
        operations: allOps,
        operation_success_rate: allOps === 0 ? 1 : okOps / allOps,
        p50_ms: percentile(durations, 0.5),
        p95_ms: percentile(durations, 0.95),
        rollbacks: list.filter((r) => r.status === 'rolled_back').length,
        slo,
        severity: severityOf(rate, slo),
      };
    });
}
