// The control plane at a glance (`batchctl control`, and later the dashboard): stop, breakers with
// the time to half-open, budget use and reset, SLIs. Read-only.
import { breakerGate, computeSlis, loadControl, pressure, usage, type EcosystemSli, type UnreadableBreaker } from '../../control/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { readPendingFailures, withPendingFailures } from './pending-failures.js';
import { settingsRemovedByOthers, settingsRemovedWarning, type SettingsRemoved } from './settings-removed.js';

export interface ControlStatus {
  at: string;
  stop: {
    enabled: boolean;
    disabled_ecosystems: string[];
    reason: string;
    disabled_by: string;
    disabled_at: string;
    incident_url: string;
    expected_resume: string;
  };
  breakers: Array<{
    ecosystem: string;
    state: string;
    effective_state: string;
    failures: number;
    last_failure: string;
    opens_at: string;
    half_open_in_seconds: number | null;
    /** open with no opens_at: it stays open until an operator closes it */
    no_recovery_time: boolean;
  }>;
  /** breaker entries that do not parse: their ecosystems are refused (docs/control-file.md#circuit-breakers) */
  unreadable_breakers: UnreadableBreaker[];
  budget: {
    week_start: string;
    resets_at: string;
    mode: 'normal' | 'sampling' | 'paused';
    /** every unit with a limit or a `<unit>_used` counter; `limit` null: counted, not limited */
    units: Array<{ unit: string; used: number; limit: number | null; fraction: number | null }>;
    sample_above: number;
    sample_rate: number;
    pause_above: number;
  };
  slis: { since: string; ecosystems: EcosystemSli[] };
  /**
   * breaker failures earlier runs could not commit (docs/control-file.md#a-failure-not-yet-recorded):
   * the breakers above count them, as preflight does; `batchctl recover` (or the next run) records them
   */
  pending_failures: Array<{ batch_id: string; ecosystems: string[] }>;
  /** settings another writer's commit removed that are still missing (docs/control-file.md#other-writers) */
  settings_removed: SettingsRemoved | null;
  /** what the file carries that batchctl kept or ignored (other tools' top-level keys, deprecated settings) */
  warnings: string[];
}

export async function controlStatus(deps: EngineDeps, { sliDays = 7 }: { sliDays?: number } = {}): Promise<ControlStatus> {
  const { control: committed, warnings, unreadableBreakers } = await loadControl(deps.git.root); // fail closed: an invalid file is the answer
  const removed = await settingsRemovedByOthers(deps);
  const now = deps.now();
  const pending = await readPendingFailures(deps);
  const control = withPendingFailures(committed, pending, now);
  const { weekStart, resetsAt, used } = usage(control, now);
  const policy = control.policy.budget;
  const worst = pressure(control, now).fraction;
  const since = new Date(now.getTime() - sliDays * 86_400_000).toISOString();
  return {
    at: now.toISOString(),
    stop: {
      enabled: control.enabled,
      disabled_ecosystems: control.disabled_ecosystems,
      reason: control.reason,
      disabled_by: control.disabled_by,
      disabled_at: control.disabled_at,
      incident_url: control.incident_url,
      expected_resume: control.expected_resume,
    },
    breakers: Object.entries(control.circuit_breaker).map(([ecosystem, b]) => {
      const gate = breakerGate(b, now);
      const opensIn =
        b.state === 'open' && b.opens_at ? Math.max(0, Math.ceil((new Date(b.opens_at).getTime() - now.getTime()) / 1000)) : null;
      return {
        ecosystem,
        state: b.state,
        effective_state: b.state === 'open' && gate.admit ? 'half-open' : b.state,
        failures: b.failures,
        last_failure: b.last_failure,
        opens_at: b.opens_at,
        half_open_in_seconds: opensIn,
        no_recovery_time: b.state === 'open' && !b.opens_at,
      };
    }),
    unreadable_breakers: unreadableBreakers,
    budget: {
      week_start: weekStart.toISOString(),
      resets_at: resetsAt.toISOString(),
      mode: worst >= policy.pause_above ? 'paused' : worst >= policy.sample_above ? 'sampling' : 'normal',
      units: Object.entries(used).map(([unit, count]) => {
        const limit = policy.limits[unit] ?? null;
        return { unit, used: count, limit, fraction: limit === null ? null : limit > 0 ? count / limit : 0 };
      }),
      sample_above: policy.sample_above,
      sample_rate: policy.sample_rate,
      pause_above: policy.pause_above,
    },
    slis: { since, ecosystems: computeSlis(deps.store.batches.outcomesSince(since), control.policy) },
    pending_failures: pending.map((r) => ({ batch_id: r.batch_id, ecosystems: [r.ecosystem, ...(r.other_ecosystems ?? [])] })),
    settings_removed: removed,
    warnings: removed ? [...warnings, settingsRemovedWarning(removed)] : warnings,
  };
}
