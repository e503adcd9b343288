// Gauges read at scrape time (docs/serve.md#metrics): queue depth from health(), breakers and budget
// from controlStatus(). One scrape reads each source once, however many gauges it feeds.
import { Gauge, type Registry } from 'prom-client';

import type { ControlStatus, Engine, Health } from '../../../engine/index.js';

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;

/** Calls `load` once for every caller that asks while it runs: the gauges of one scrape share it. */
function shared<T>(load: () => Promise<T>): () => Promise<T | null> {
  let running: Promise<T | null> | null = null;
  return () =>
    (running ??= load()
      .catch(() => null) // an unreadable control file leaves those gauges empty; the scrape still answers
      .finally(() => {
        running = null;
      }));
}

export function stateGauges({ engine, registry }: { engine: Engine; registry: Registry }): void {
  const health = shared<Health>(() => engine.health());
  const control = shared<ControlStatus>(() => engine.controlStatus({ sliDays: 1 }));

  new Gauge({
    name: 'batchctl_queue_depth',
    help: 'Batches waiting in the queue',
    registers: [registry],
    async collect() {
      const now = await health();
      if (now) this.set(now.queue_depth);
    },
  });
  new Gauge({
    name: 'batchctl_breaker_state',
    help: 'Circuit breaker of each ecosystem: 1 for its state now (closed, half-open, open), 0 for the others',
    labelNames: ['ecosystem', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const breaker of (await control())?.breakers ?? []) {
        for (const state of BREAKER_STATES) this.set({ ecosystem: breaker.ecosystem, state }, breaker.effective_state === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'batchctl_budget_used',
    help: 'Budget used this week, per unit',
    labelNames: ['unit'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const unit of (await control())?.budget.units ?? []) this.set({ unit: unit.unit }, unit.used);
    },
  });
  new Gauge({
    name: 'batchctl_budget_limit',
    help: 'Budget limit per week, per unit that has one',
    labelNames: ['unit'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const unit of (await control())?.budget.units ?? []) if (unit.limit !== null) this.set({ unit: unit.unit }, unit.limit);
    },
  });
}
