// Circuit breaker per ecosystem (docs/control-file.md), as pure functions of the file's state, the policy and the
// clock: whether a batch may run, and the state after a batch's outcome. A success never closes an
// open breaker; only a probe admitted while half-open can.
import type { ControlFile, Policy } from '../domain/index.js';

export type BreakerState = ControlFile['circuit_breaker'][string];
export type BreakerPolicy = Policy['circuit_breaker'];

export const CLOSED: BreakerState = { state: 'closed', failures: 0, last_failure: '', opens_at: '' };

/** Outcomes of the last `window` batches, oldest first: S success, F failure (kept in the file). */
export const recentOf = (breaker: BreakerState): string => (typeof breaker.recent === 'string' ? breaker.recent.replace(/[^SF]/g, '') : '');

export type BreakerGate = { admit: true; probe: boolean } | { admit: false; opensAt: string; message: string };

/** May a batch of this ecosystem run now? An open breaker past `opens_at` admits it as a probe. */
export function breakerGate(breaker: BreakerState | undefined, now: Date): BreakerGate {
  if (!breaker || breaker.state === 'closed') return { admit: true, probe: false };
  if (breaker.state === 'half-open') return { admit: true, probe: true };
  // The registry's scripts open a breaker without a recovery time: it stays open until an operator
  // closes it (docs/control-file.md#circuit-breakers).
  if (!breaker.opens_at) {
    return {
      admit: false,
      opensAt: '',
      message: 'open with no recovery time (opens_at is empty): it stays open until an operator closes it',
    };
  }
  const opensAt = new Date(breaker.opens_at);
  if (opensAt.getTime() <= now.getTime()) return { admit: true, probe: true };
  const minutes = Math.ceil((opensAt.getTime() - now.getTime()) / 60_000);
  return { admit: false, opensAt: breaker.opens_at, message: `half-open at ${breaker.opens_at} (in ${minutes} min)` };
}

export interface BreakerTransition {
  from: BreakerState['state'];
  to: BreakerState['state'];
  why: string;
}

/** The breaker after one batch's outcome; `transition` when its state changed. */
export function recordOutcome(
  breaker: BreakerState | undefined,
  policy: BreakerPolicy,
  outcome: 'success' | 'failure',
  now: Date,
): { breaker: BreakerState; transition: BreakerTransition | null } {
  const current: BreakerState = breaker ?? CLOSED;
  // While open, no batch should have run; if one did (a hand-made run), it changes nothing.
  const gate = breakerGate(current, now);
  const probing = gate.admit && gate.probe;
  const recent = `${recentOf(current)}${outcome === 'success' ? 'S' : 'F'}`.slice(-policy.window);
  const reopen = (why: string): { breaker: BreakerState; transition: BreakerTransition } => ({
    breaker: {
      ...current,
      state: 'open',
      failures: outcome === 'failure' ? current.failures + 1 : current.failures,
      recent,
      last_failure: outcome === 'failure' ? now.toISOString() : current.last_failure,
      opens_at: new Date(now.getTime() + policy.recovery_minutes * 60_000).toISOString(),
    },
    transition: { from: current.state === 'open' && probing ? 'half-open' : current.state, to: 'open', why },
  });

  if (current.state !== 'closed' && !probing) return { breaker: current, transition: null };
  if (probing) {
    if (outcome === 'failure') return reopen('a probe batch failed while half-open');
    return {
      breaker: { ...current, state: 'closed', failures: 0, opens_at: '', recent },
      transition: { from: 'half-open', to: 'closed', why: 'a probe batch succeeded' },
    };
  }
  if (outcome === 'success') return { breaker: { ...current, failures: 0, recent }, transition: null };
  const failures = current.failures + 1;
  if (failures >= policy.failure_threshold) return reopen(`${failures} consecutive failed batches (threshold ${policy.failure_threshold})`);
  const successes = [...recent].filter((c) => c === 'S').length;
  if (recent.length >= policy.window && successes / recent.length < policy.min_success_rate) {
    return reopen(
      `success rate ${(successes / recent.length).toFixed(2)} over the last ${recent.length} batches is below ${policy.min_success_rate}`,
    );
  }
  return { breaker: { ...current, failures, last_failure: now.toISOString(), recent }, transition: null };
}
