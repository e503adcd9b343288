// The control plane as get_control_state and control://state show it: the stop, breakers and budget.
import type { ControlStatus } from '../../engine/index.js';
import { clip, firstOf } from './bounds.js';

export function controlView(status: ControlStatus) {
  const { stop, breakers, budget, warnings } = status;
  return {
    stop: {
      enabled: stop.enabled,
      disabled_ecosystems: stop.disabled_ecosystems,
      reason: clip(stop.reason),
      disabled_by: clip(stop.disabled_by),
      disabled_at: stop.disabled_at,
    },
    breakers: firstOf(breakers, 100).shown.map((b) => ({
      ecosystem: b.ecosystem,
      state: b.state,
      effective_state: b.effective_state,
      failures: b.failures,
    })),
    budget: {
      mode: budget.mode,
      resets_at: budget.resets_at,
      units: budget.units.map((u) => ({ unit: u.unit, used: u.used, limit: u.limit })),
    },
    warnings: firstOf(warnings).shown.map((w) => clip(w)),
  };
}

export function controlSummary(view: ReturnType<typeof controlView>): string {
  const stopped = !view.stop.enabled
    ? `EMERGENCY STOP on (${view.stop.reason})`
    : view.stop.disabled_ecosystems.length > 0
      ? `stopped ecosystems: ${view.stop.disabled_ecosystems.join(', ')}`
      : 'no stop';
  const open = view.breakers.filter((b) => b.effective_state !== 'closed').map((b) => `${b.ecosystem} ${b.effective_state}`);
  return `${stopped}; breakers: ${open.length > 0 ? open.join(', ') : 'all closed'}; budget ${view.budget.mode}`;
}
