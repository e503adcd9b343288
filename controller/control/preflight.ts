// Preflight (docs/control-file.md#preflight): may this batch run now? Pure: control file, batch and clock in,
// decision out. Each check is one entry: stop, ecosystem stop, breaker, budget.
import { CONTROL_FILE_NAME, type ControlFile } from '../domain/index.js';
import type { ErrorCode } from '../errors/index.js';
import { breakerGate } from './breaker.js';
import { budgetGate } from './budget.js';
import type { UnreadableBreaker } from './unreadable-breakers.js';

export type PreflightDecision =
  { admit: true } | { admit: false; code: ErrorCode; message: string; hint: string; data?: Record<string, unknown> };

export interface PreflightBatch {
  id: string;
  ecosystem: string;
  priority: number;
  /** every ecosystem the batch touches, its own first (docs/batch-format.md#multi-ecosystem-batches); default: [ecosystem] */
  ecosystems?: readonly string[];
}

/** What the file said that its parsed values cannot carry. */
export interface PreflightContext {
  unreadableBreakers?: readonly UnreadableBreaker[];
}

type Check = (control: ControlFile, batch: PreflightBatch, now: Date, context: PreflightContext) => PreflightDecision | null;

function stopDetails(control: ControlFile): string {
  const parts = [
    control.reason && `reason: ${control.reason}`,
    control.disabled_by && `by ${control.disabled_by}`,
    control.incident_url && `incident: ${control.incident_url}`,
    control.expected_resume && `expected resume: ${control.expected_resume}`,
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

const emergencyStop: Check = (control) =>
  control.enabled
    ? null
    : {
        admit: false,
        code: 'EMERGENCY_STOP',
        message: `emergency stop is on in ${CONTROL_FILE_NAME}${stopDetails(control)}`,
        hint: 'an operator lifts it with `batchctl resume` or by committing "enabled": true',
      };

const ecosystemDisabled: Check = (control, batch) =>
  control.disabled_ecosystems.includes(batch.ecosystem)
    ? {
        admit: false,
        code: 'ECOSYSTEM_DISABLED',
        message: `ecosystem "${batch.ecosystem}" is disabled in ${CONTROL_FILE_NAME}${stopDetails(control)}`,
        hint: `an operator lifts it with \`batchctl resume --ecosystem ${batch.ecosystem}\``,
      }
    : null;

const breakerUnreadable: Check = (_control, batch, _now, context) => {
  const entry = context.unreadableBreakers?.find((e) => e.ecosystem === batch.ecosystem);
  return entry
    ? {
        admit: false,
        code: 'CONTROL_FILE_INVALID',
        message: `${CONTROL_FILE_NAME}: ${entry.message}; batches of ecosystem "${batch.ecosystem}" are refused until it is fixed`,
        hint: 'a breaker\'s "state" is one of "closed", "open", "half-open" (lower case); fix the entry and commit it',
        data: { file: CONTROL_FILE_NAME, field: entry.field },
      }
    : null;
};

const breakerOpen: Check = (control, batch, now) => {
  const gate = breakerGate(control.circuit_breaker[batch.ecosystem], now);
  return gate.admit
    ? null
    : {
        admit: false,
        code: 'BREAKER_OPEN',
        message: `the circuit breaker of ecosystem "${batch.ecosystem}" is open: ${gate.message}`,
        hint: gate.opensAt
          ? 'it admits a probe batch once half-open; an operator may close it by committing "state": "closed"'
          : 'an operator closes it by committing "state": "closed" (or sets "opens_at" for a probe)',
      };
};

const budget: Check = (control, batch, now) => {
  const gate = budgetGate(control, batch, now);
  return gate.admit
    ? null
    : {
        admit: false,
        code: 'BUDGET_EXHAUSTED',
        message: gate.message,
        hint: 'raise policy.budget.limits, wait for the reset, or give urgent batches priority 8 or more (sampling only)',
      };
};

/** Checks judged once per ecosystem the batch touches; the others once per batch (the budget is the batch's). */
const PER_ECOSYSTEM: ReadonlySet<Check> = new Set([ecosystemDisabled, breakerUnreadable, breakerOpen]);
const CHECKS: readonly Check[] = [emergencyStop, ecosystemDisabled, breakerUnreadable, breakerOpen, budget];

export function preflight(control: ControlFile, batch: PreflightBatch, now: Date, context: PreflightContext = {}): PreflightDecision {
  const ecosystems = batch.ecosystems ?? [batch.ecosystem];
  for (const check of CHECKS) {
    const asked = PER_ECOSYSTEM.has(check) ? ecosystems.map((ecosystem) => ({ ...batch, ecosystem })) : [batch];
    for (const one of asked) {
      const decision = check(control, one, now, context);
      if (decision) return decision;
    }
  }
  return { admit: true };
}
