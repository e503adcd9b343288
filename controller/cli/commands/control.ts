// batchctl control / sli — the control plane at a glance, and the SLIs alone (docs/control-file.md).
import { z } from 'zod';

import type { ControlStatus } from '../../engine/index.js';
import { EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { printControlWarnings } from '../output/control-warnings.js';
import { printJsonLine } from '../output/ndjson.js';

const optionsSchema = globalOptionsSchema.extend({ days: z.coerce.number().int().min(1).max(3650).default(7) });

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const ms = (x: number | null): string => (x === null ? '-' : `${x} ms`);

function sliLines(status: ControlStatus): string[] {
  const rows = status.slis.ecosystems;
  if (rows.length === 0) return [`  no batches ran since ${status.slis.since}`];
  return rows.map(
    (s) =>
      `  ${s.ecosystem.padEnd(12)} ${s.severity.toUpperCase().padEnd(8)} batches ${pct(s.batch_success_rate)} of ${s.batches} (SLO ${pct(s.slo)}), ` +
      `ops ${pct(s.operation_success_rate)} of ${s.operations}, p50 ${ms(s.p50_ms)}, p95 ${ms(s.p95_ms)}, rollbacks ${s.rollbacks}`,
  );
}

function render(status: ControlStatus): string {
  const { stop, budget } = status;
  const lines = [
    `batches: ${stop.enabled ? 'running' : `EMERGENCY STOP (${stop.reason || 'no reason given'}; by ${stop.disabled_by || '?'} at ${stop.disabled_at || '?'})`}`,
    ...(stop.incident_url ? [`  incident: ${stop.incident_url}`] : []),
    ...(stop.expected_resume ? [`  expected resume: ${stop.expected_resume}`] : []),
    `stopped ecosystems: ${stop.disabled_ecosystems.length > 0 ? stop.disabled_ecosystems.join(', ') : 'none'}`,
    'circuit breakers:',
    ...(status.breakers.length === 0
      ? ['  none recorded (all closed)']
      : status.breakers.map(
          (b) =>
            `  ${b.ecosystem.padEnd(12)} ${b.effective_state.padEnd(9)} failures ${b.failures}` +
            (b.half_open_in_seconds !== null && b.effective_state === 'open'
              ? `, half-open in ${Math.ceil(b.half_open_in_seconds / 60)} min (${b.opens_at})`
              : '') +
            (b.no_recovery_time ? ', no recovery time: stays open until an operator closes it' : ''),
        )),
    ...status.pending_failures.map(
      (f) =>
        `  pending: the failure of ${f.batch_id} (${f.ecosystems.join(', ')}) is counted, not yet recorded: \`batchctl recover\` records it`,
    ),
    ...status.unreadable_breakers.map((u) => `  ${u.ecosystem.padEnd(12)} UNREADABLE (${u.field}): its batches are refused`),
    `budget (week of ${budget.week_start.slice(0, 10)}, resets ${budget.resets_at}): ${budget.mode}`,
    ...budget.units.map((u) =>
      u.limit === null || u.fraction === null
        ? `  ${u.unit.padEnd(12)} ${u.used} (no limit)`
        : `  ${u.unit.padEnd(12)} ${u.used} of ${u.limit} (${pct(u.fraction)})`,
    ),
    ...(status.settings_removed
      ? [
          `settings removed by commit ${status.settings_removed.commit.slice(0, 12)} (${status.settings_removed.author}): ${status.settings_removed.fields.join(', ')} (defaults in use)`,
        ]
      : []),
    `SLIs since ${status.slis.since}:`,
    ...sliLines(status),
  ];
  return `${lines.join('\n')}\n`;
}

export async function controlCommand(raw: unknown): Promise<number> {
  const options = optionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    const status = await engine.controlStatus({ sliDays: options.days });
    printControlWarnings(status.warnings);
    if (options.json) printJsonLine(status);
    else process.stdout.write(render(status));
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}

export async function sliCommand(raw: unknown): Promise<number> {
  const options = optionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    const status = await engine.controlStatus({ sliDays: options.days });
    if (options.json) printJsonLine(status.slis);
    else process.stdout.write(`SLIs since ${status.slis.since}:\n${sliLines(status).join('\n')}\n`);
    // A critical ecosystem makes the exit code say so, for a scheduled check.
    return status.slis.ecosystems.some((s) => s.severity === 'critical') ? EXIT.batchFailed : EXIT.ok;
  } finally {
    await engine.close();
  }
}
