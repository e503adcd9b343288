// The weekly budget (docs/control-file.md), as pure functions: the week a time falls in (Monday 00:00 UTC), the
// admission decision (sampling by batch id, pause), and the counters after charging a batch.
import { createHash } from 'node:crypto';

import type { ControlFile, Policy } from '../domain/index.js';

export type BudgetPolicy = Policy['budget'];
/** What a batch costs, per unit: { operations: 120, ci_minutes: 30 }. */
export type Cost = Record<string, number>;

/** Monday 00:00 UTC of the week `now` falls in. */
export function weekStart(now: Date): Date {
  const day = now.getUTCDay(); // 0 Sunday … 6 Saturday
  const back = (day + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back));
}

const nextWeek = (start: Date): Date => new Date(start.getTime() + 7 * 86_400_000);

const USED = /^(.+)_used$/;

/**
 * Counters of the current week, for every unit with a limit and every `<unit>_used` counter the file
 * carries (the registry's scripts count `macos_minutes_used` with no limit in batchctl): a file still
 * on an earlier week counts as empty (roll-over).
 */
export function usage(control: ControlFile, now: Date): { weekStart: Date; resetsAt: Date; used: Record<string, number> } {
  const start = weekStart(now);
  const fileWeek = control.budget.week_start ? new Date(control.budget.week_start).getTime() : NaN;
  const current = fileWeek === start.getTime();
  const counters = Object.keys(control.budget).flatMap((key) => {
    const unit = USED.exec(key)?.[1];
    return unit !== undefined && typeof (control.budget as Record<string, unknown>)[key] === 'number' ? [unit] : [];
  });
  const used: Record<string, number> = {};
  for (const unit of new Set([...Object.keys(control.policy.budget.limits), ...counters])) {
    const value = (control.budget as Record<string, unknown>)[`${unit}_used`];
    used[unit] = current && typeof value === 'number' ? value : 0;
  }
  return { weekStart: start, resetsAt: nextWeek(start), used };
}

/** The highest used/limit fraction over the units, with the unit. */
export function pressure(control: ControlFile, now: Date): { unit: string | null; fraction: number } {
  const { used } = usage(control, now);
  let worst: { unit: string | null; fraction: number } = { unit: null, fraction: 0 };
  for (const [unit, limit] of Object.entries(control.policy.budget.limits)) {
    const fraction = limit > 0 ? (used[unit] ?? 0) / limit : (used[unit] ?? 0) > 0 ? Infinity : 0;
    if (fraction > worst.fraction) worst = { unit, fraction };
  }
  return worst;
}

/** A stable number in [0, 1) from the batch id: the same batch is always sampled the same way. */
export function sampleValue(batchId: string): number {
  return createHash('sha256').update(batchId).digest().readUInt32BE(0) / 2 ** 32;
}

export type BudgetGate = { admit: true; sampling: boolean } | { admit: false; message: string };

export function budgetGate(control: ControlFile, batch: { id: string; priority: number }, now: Date): BudgetGate {
  const policy = control.policy.budget;
  const { unit, fraction } = pressure(control, now);
  const { used, resetsAt } = usage(control, now);
  const where = unit ? `${unit} ${used[unit] ?? 0} of ${policy.limits[unit]} this week (${Math.round(fraction * 100)}%)` : '';
  const reset = `the budget resets at ${resetsAt.toISOString()}`;
  if (fraction >= policy.pause_above) {
    return { admit: false, message: `budget paused: ${where} is at or above pause_above ${policy.pause_above}; ${reset}` };
  }
  if (fraction >= policy.sample_above) {
    if (batch.priority >= 8) return { admit: true, sampling: true };
    if (sampleValue(batch.id) >= policy.sample_rate) {
      return {
        admit: false,
        message: `budget sampling: ${where} is above sample_above ${policy.sample_above}; this batch was not in the ${Math.round(policy.sample_rate * 100)}% sample (priority 8 or more always runs); ${reset}`,
      };
    }
    return { admit: true, sampling: true };
  }
  return { admit: true, sampling: false };
}

/** The budget object after charging `cost` (in place on the raw file's `budget`), rolling the week over. */
export function charge(rawBudget: Record<string, unknown>, control: ControlFile, cost: Cost, now: Date): void {
  const { weekStart: start, used } = usage(control, now);
  rawBudget.week_start = start.toISOString().replace('.000Z', 'Z');
  for (const unit of new Set([...Object.keys(used), ...Object.keys(cost)])) {
    rawBudget[`${unit}_used`] = (used[unit] ?? 0) + (cost[unit] ?? 0);
  }
  const after = { ...control, budget: { ...control.budget, ...rawBudget } } as ControlFile;
  rawBudget.sampling_active = pressure(after, now).fraction >= control.policy.budget.sample_above;
}
