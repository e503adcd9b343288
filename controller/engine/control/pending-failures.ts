// Failures not yet in batch-control.json (docs/control-file.md#a-failure-not-yet-recorded): when a
// failed batch's control-state commit cannot be made (a diverged branch, a crash journal kept), the
// failure is kept in the state directory and the next run records it before it decides anything, so
// the breaker always hears of it. Until then, preflight counts it in memory.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { recordOutcome, type Cost } from '../../control/index.js';
import type { ControlFile } from '../../domain/index.js';
import { writeFileDurably } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';

export interface PendingFailure {
  batch_id: string;
  /** the first ecosystem whose breaker hears the failure (the batch's own, unless its operations did not fail) */
  ecosystem: string;
  /** the other ecosystems whose operations failed: their breakers hear it too (docs/control-file.md#multi-ecosystem-outcomes) */
  other_ecosystems?: string[];
  cost: Cost;
}

const fileOf = (deps: EngineDeps): string => join(deps.stateDir, 'pending-failures.json');

export async function readPendingFailures(deps: EngineDeps): Promise<PendingFailure[]> {
  const text = await readFile(fileOf(deps), 'utf8').catch(() => null);
  if (text === null) return [];
  try {
    const records = JSON.parse(text) as unknown;
    return Array.isArray(records) ? (records as PendingFailure[]) : [];
  } catch {
    return []; // a torn file (it is written durably, so only by hand): nothing to replay
  }
}

async function writePending(deps: EngineDeps, records: readonly PendingFailure[]): Promise<void> {
  await writeFileDurably(fileOf(deps), `${JSON.stringify(records, null, 2)}\n`);
}

export async function keepPendingFailure(deps: EngineDeps, record: PendingFailure): Promise<void> {
  const records = await readPendingFailures(deps);
  if (!records.some((r) => r.batch_id === record.batch_id)) await writePending(deps, [...records, record]);
}

/** The failure is in HEAD now (its control-state commit landed): it is pending no longer. */
export async function dropPendingFailure(deps: EngineDeps, batchId: string): Promise<void> {
  const records = await readPendingFailures(deps);
  if (records.some((r) => r.batch_id === batchId))
    await writePending(
      deps,
      records.filter((r) => r.batch_id !== batchId),
    );
}

/**
 * Record the kept failures (`records`, as read), oldest first (under the run's lock); returns those
 * still pending. `commit` is commit-failure-state.ts's commitFailureState (passed in: the two modules
 * would import each other), which drops each record once its commit is in HEAD and leaves the rest.
 */
export async function applyPendingFailures(
  deps: EngineDeps,
  records: readonly PendingFailure[],
  commit: (record: PendingFailure) => Promise<boolean>,
): Promise<PendingFailure[]> {
  if (records.length === 0) return [];
  for (const record of records) await commit(record);
  return readPendingFailures(deps);
}

/** The control file as it will be once the pending failures are recorded: what preflight decides on. */
export function withPendingFailures(control: ControlFile, records: readonly PendingFailure[], now: Date): ControlFile {
  let breakers = control.circuit_breaker;
  for (const record of records) {
    for (const ecosystem of [record.ecosystem, ...(record.other_ecosystems ?? [])]) {
      const next = recordOutcome(breakers[ecosystem], control.policy.circuit_breaker, 'failure', now);
      breakers = { ...breakers, [ecosystem]: next.breaker };
    }
  }
  return { ...control, circuit_breaker: breakers };
}
