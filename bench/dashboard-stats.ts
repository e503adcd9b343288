// The dashboard's 7-day charts: GET /api/stats aggregates in SQLite (store/batch-stats.ts). Baseline: what
// a page would do without that route, read the week's batch rows (GET /api/batches, 500 a page) and
// group them itself. Both run on one real database of a busy week; the figure is the time to the
// numbers, plus the JSON each would send.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { openStore, type BatchRow } from '../controller/store/index.js';
import { alternate, type BenchOptions, fmtMs, median, type Outcome, ratioLine } from './report.js';

const STATUSES = ['completed', 'completed', 'completed', 'completed', 'failed', 'refused', 'cancelled', 'rolled_back'] as const;
const ECOSYSTEMS = ['npm', 'pypi', 'cargo', 'maven', 'go'];

function row(i: number, created: Date): BatchRow {
  return {
    batch_id: `b-20260101-000000-${i.toString(36).padStart(6, '0')}`,
    status: STATUSES[i % STATUSES.length] as BatchRow['status'],
    operation_type: 'write',
    total_count: 10,
    success_count: 10,
    failure_count: 0,
    created_at: created.toISOString(),
    completed_at: created.toISOString(),
    backup_id: null,
    title: `batch ${i}`,
    ecosystem: ECOSYSTEMS[i % ECOSYSTEMS.length] as string,
    requested_by: 'bench',
    agent: null,
    priority: 0,
    commit_sha: null,
    tag: null,
    plan_hash: null,
    idempotency_key: null,
    reason_code: null,
    reason_message: null,
    duration_ms: 1200,
    options_json: null,
    source: 'http',
  };
}

export function dashboardStatsBench({ quick, root }: BenchOptions): Outcome[] {
  const batches = quick ? 5_000 : 50_000;
  const file = join(root, 'dashboard-stats.db');
  const store = openStore({ file });
  try {
    const now = Date.now();
    const week = 7 * 86_400_000;
    store.transaction(() => {
      for (let i = 0; i < batches; i++) store.batches.insert(row(i, new Date(now - week + ((i + 0.5) * week) / batches)));
    });
    const since = new Date(now - week).toISOString();
    let oursBytes = 0;
    let baseBytes = 0;
    const ours = (): void => {
      oursBytes = JSON.stringify({ since, hours: store.stats.hourly(since), ecosystems: store.stats.ecosystemRates(since) }).length;
    };
    const baseline = (): void => {
      const hours = new Map<string, number>();
      const rates = new Map<string, { batches: number; ok: number }>();
      let bytes = 0;
      for (let cursor: string | undefined; ;) {
        const page = store.batches.list({ limit: 500, ...(cursor ? { after: cursor } : {}) });
        bytes += JSON.stringify({ batches: page }).length;
        for (const b of page) {
          if (b.created_at < since) continue;
          const key = `${b.created_at.slice(0, 13)}|${b.status}`;
          hours.set(key, (hours.get(key) ?? 0) + 1);
          if (b.status === 'completed' || b.status === 'rolled_back' || b.status === 'failed') {
            const r = rates.get(b.ecosystem) ?? { batches: 0, ok: 0 };
            r.batches += 1;
            if (b.status !== 'failed') r.ok += 1;
            rates.set(b.ecosystem, r);
          }
        }
        if (page.length < 500) break;
        cursor = page.at(-1)?.batch_id;
      }
      baseBytes = bytes;
    };
    const oursTimes: number[] = [];
    const baseTimes: number[] = [];
    const timed = (fn: () => void, into: number[]) => () => {
      const t = performance.now();
      fn();
      into.push((performance.now() - t) / 1000);
    };
    for (let round = 0; round < (quick ? 3 : 7); round++) alternate(round, timed(baseline, baseTimes), timed(ours, oursTimes));
    const [o, b] = [median(oursTimes), median(baseTimes)];
    return [
      ratioLine(
        'dashboard stats (7 days)',
        fmtMs(o),
        fmtMs(b),
        o / b,
        null,
        `${batches} batches; SQLite GROUP BY against paging the rows and grouping in JS; JSON ${oursBytes} B against ${baseBytes} B`,
      ),
    ];
  } finally {
    store.close();
    rmSync(file, { force: true });
  }
}
