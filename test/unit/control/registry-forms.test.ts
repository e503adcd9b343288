// The control file as the registry's scripts write it: open breakers with no recovery time, an
// unreadable breaker entry, budget counters in units batchctl sets no limit for.
import { describe, expect, it } from 'vitest';

import { breakerGate, parseControl, recordOutcome, usage } from '../../../controller/control/index.js';
import { circuitBreakerPolicySchema } from '../../../controller/domain/index.js';

const now = new Date('2026-11-25T12:00:00Z');

describe('a breaker open with no opens_at', () => {
  it('admits nothing, and a batch outcome leaves it open', () => {
    const open = { state: 'open' as const, failures: 2, last_failure: '', opens_at: '' };
    expect(breakerGate(open, now)).toMatchObject({ admit: false });
    const after = recordOutcome(open, circuitBreakerPolicySchema.parse({}), 'success', now);
    expect(after.breaker.state).toBe('open');
    expect(after.transition).toBeNull();
  });
});

describe('an unreadable breaker entry', () => {
  it('is set aside with its field named; the file still loads', () => {
    const loaded = parseControl(
      JSON.stringify({ enabled: true, circuit_breaker: { npm: { state: 'Open' }, pypi: { state: 'open', opens_at: '' } } }),
      'batch-control.json',
    );
    expect(Object.keys(loaded.control.circuit_breaker)).toEqual(['pypi']);
    expect(loaded.unreadableBreakers).toEqual([expect.objectContaining({ ecosystem: 'npm', field: 'circuit_breaker.npm.state' })]);
    expect(loaded.warnings.some((w) => w.includes('circuit_breaker.npm.state'))).toBe(true);
  });
});

describe('budget usage', () => {
  it('counts every <unit>_used counter of the current week, and none of an earlier week', () => {
    const budget = { week_start: '2026-11-23T00:00:00Z', operations_used: 3, macos_minutes_used: 40 };
    const current = parseControl(JSON.stringify({ enabled: true, budget }), 'f').control;
    expect(usage(current, now).used).toEqual({ operations: 3, ci_minutes: 0, macos_minutes: 40 });
    const stale = parseControl(JSON.stringify({ enabled: true, budget: { ...budget, week_start: '2026-11-16T00:00:00Z' } }), 'f').control;
    expect(usage(stale, now).used).toEqual({ operations: 0, ci_minutes: 0, macos_minutes: 0 });
  });
});
