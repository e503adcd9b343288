// Breaker and budget rules (docs/control-file.md) on a fixed clock: every transition, the rate rule, sampling,
// pause and the weekly roll-over.
import { describe, expect, it } from 'vitest';

import { breakerGate, recordOutcome, type BreakerState } from '../../../controller/control/breaker.js';
import { budgetGate, charge, sampleValue, usage, weekStart } from '../../../controller/control/budget.js';
import { defaultControlFile } from '../../../controller/control/index.js';
import { controlFileSchema, type ControlFile } from '../../../controller/domain/index.js';

const policy = { failure_threshold: 3, recovery_minutes: 60, min_success_rate: 0.5, window: 4, half_open_probes: 1 };
const at = (iso: string): Date => new Date(iso);

function run(outcomes: string, start: BreakerState | undefined, now: Date, rules = policy) {
  let breaker = start;
  const transitions: string[] = [];
  for (const o of outcomes) {
    const next = recordOutcome(breaker, rules, o === 'S' ? 'success' : 'failure', now);
    breaker = next.breaker;
    if (next.transition) transitions.push(`${next.transition.from}→${next.transition.to}`);
  }
  return { breaker: breaker as BreakerState, transitions };
}

describe('circuit breaker', () => {
  const t0 = at('2026-11-23T10:00:00Z');

  it('opens after failure_threshold consecutive failures, until opens_at', () => {
    const { breaker, transitions } = run('FFF', undefined, t0);
    expect(transitions).toEqual(['closed→open']);
    expect(breaker).toMatchObject({ state: 'open', failures: 3, opens_at: '2026-11-23T11:00:00.000Z', last_failure: t0.toISOString() });
    expect(breakerGate(breaker, at('2026-11-23T10:59:00Z'))).toMatchObject({ admit: false, opensAt: '2026-11-23T11:00:00.000Z' });
    expect(breakerGate(breaker, at('2026-11-23T11:00:00Z'))).toEqual({ admit: true, probe: true });
  });

  it('a success resets the consecutive count but never closes an open breaker', () => {
    expect(run('FFSFF', undefined, t0, { ...policy, window: 10 }).breaker).toMatchObject({ state: 'closed', failures: 2 });
    const open = run('FFF', undefined, t0).breaker;
    expect(run('S', open, at('2026-11-23T10:30:00Z'))).toMatchObject({ breaker: { state: 'open' }, transitions: [] });
  });

  it('half-open: a probe success closes it, a probe failure re-opens it with a fresh opens_at', () => {
    const open = run('FFF', undefined, t0).breaker;
    const later = at('2026-11-23T11:05:00Z');
    expect(run('S', open, later)).toMatchObject({
      breaker: { state: 'closed', failures: 0, opens_at: '' },
      transitions: ['half-open→closed'],
    });
    expect(run('F', open, later)).toMatchObject({
      breaker: { state: 'open', opens_at: '2026-11-23T12:05:00.000Z' },
      transitions: ['half-open→open'],
    });
    expect(run('S', { ...open, state: 'half-open' }, later).transitions).toEqual(['half-open→closed']);
  });

  it('opens when the success rate over the window falls below min_success_rate', () => {
    // S F S F → 2 of 4 = 0.5, not below; then F → window S F F… = F S F F: 1 of 4 = 0.25 < 0.5
    const { breaker, transitions } = run('SFSFF', undefined, t0);
    expect(transitions).toEqual(['closed→open']);
    expect(breaker).toMatchObject({ state: 'open', recent: 'FSFF' });
  });
});

describe('weekly budget', () => {
  const control = (budget: Record<string, unknown>, limits = { operations: 100 }): ControlFile =>
    controlFileSchema.parse({
      ...defaultControlFile(),
      budget,
      policy: { ...defaultControlFile().policy, budget: { limits, sample_above: 0.8, sample_rate: 0.25, pause_above: 0.95 } },
    });

  it('weeks start on Monday 00:00 UTC', () => {
    expect(weekStart(at('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z'); // a Monday
    expect(weekStart(at('2026-11-29T23:59:59Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z'); // Sunday
    expect(weekStart(at('2026-11-22T23:59:59Z')).toISOString()).toBe('2026-11-16T00:00:00.000Z');
  });

  it('charges the cost, and rolls the week over', () => {
    const now = at('2026-11-25T12:00:00Z');
    const raw: Record<string, unknown> = { week_start: '2026-11-16T00:00:00Z', operations_used: 90, sampling_active: true };
    charge(raw, control(raw), { operations: 5 }, now);
    expect(raw).toEqual({ week_start: '2026-11-23T00:00:00Z', operations_used: 5, sampling_active: false });
    charge(raw, control(raw), { operations: 80 }, now);
    expect(raw).toMatchObject({ operations_used: 85, sampling_active: true });
    expect(usage(control(raw), at('2026-11-30T00:00:00Z')).used).toEqual({ operations: 0 });
  });

  it('samples deterministically above sample_above, always admits priority 8+, and pauses at pause_above', () => {
    const now = at('2026-11-25T12:00:00Z');
    const sampling = control({ week_start: '2026-11-23T00:00:00Z', operations_used: 85 });
    const ids = Array.from({ length: 400 }, (_, i) => `b-20261125-120000-${i.toString(36).padStart(6, '0')}`);
    const admitted = ids.filter((id) => budgetGate(sampling, { id, priority: 0 }, now).admit);
    expect(admitted.length / ids.length).toBeGreaterThan(0.15);
    expect(admitted.length / ids.length).toBeLessThan(0.35);
    expect(admitted).toEqual(ids.filter((id) => sampleValue(id) < 0.25)); // the same ids every time
    const left = ids.find((id) => !admitted.includes(id)) as string;
    expect(budgetGate(sampling, { id: left, priority: 8 }, now)).toEqual({ admit: true, sampling: true });
    const refusal = budgetGate(sampling, { id: left, priority: 0 }, now);
    expect(refusal).toMatchObject({ admit: false });
    expect(!refusal.admit && refusal.message).toContain('operations 85 of 100');

    const paused = budgetGate(control({ week_start: '2026-11-23T00:00:00Z', operations_used: 96 }), { id: left, priority: 9 }, now);
    expect(paused).toMatchObject({ admit: false });
    expect(!paused.admit && paused.message).toContain('resets at 2026-11-30T00:00:00.000Z');
    // the same counters from last week: rolled over, admitted
    expect(budgetGate(control({ week_start: '2026-11-16T00:00:00Z', operations_used: 96 }), { id: left, priority: 0 }, now)).toEqual({
      admit: true,
      sampling: false,
    });
  });
});
