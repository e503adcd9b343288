// Each ecosystem's share of a multi-ecosystem batch (docs/control-file.md#multi-ecosystem-outcomes):
// its operations' counts and the outcome its breaker and SLIs hear. A failed batch is a failure only
// for the ecosystems whose operations failed; the others hear nothing (their operations did not land
// either, so it is no success; nor did they go wrong). A failure no operation explains (an error while
// committing, say) is the whole batch's: every ecosystem it touched fails. Pure.
import { BATCH_STATUS, batchEcosystems, ITEM_STATUS } from '../domain/index.js';

export interface EcosystemOutcome {
  /** its steps that succeeded */
  succeeded: number;
  /** its steps that failed or were skipped */
  failed: number;
  /** what its breaker and SLIs hear: `none`, a failed batch whose failure was not this ecosystem's */
  outcome: 'success' | 'failure' | 'none';
}

export type EcosystemOutcomes = Record<string, EcosystemOutcome>;

/**
 * What it needs of a run (a run's context fits): the batch, its plan's steps, their results by step
 * index, and the batch's status.
 * @returns null for a batch of one ecosystem: its outcome is the batch's
 * @example ecosystemOutcomes(ctx) → { npm: {…, outcome: 'none'}, pypi: {…, outcome: 'failure'} }
 */
export function ecosystemOutcomes({
  batch,
  plan,
  results,
  status,
}: {
  batch: { ecosystem: string; operations: ReadonlyArray<{ ecosystem?: string | undefined }> };
  plan: { steps: ReadonlyArray<{ ecosystem?: string | undefined }> } | null;
  results: ReadonlyArray<{ status: string } | undefined>;
  status: string;
}): EcosystemOutcomes | null {
  const ecosystems = batchEcosystems(batch);
  const failed = status === BATCH_STATUS.failed;
  const steps = plan?.steps ?? [];
  if (ecosystems.length < 2) return null;
  const counts = new Map(ecosystems.map((e) => [e, { succeeded: 0, failed: 0, broke: false }]));
  for (const [index, step] of steps.entries()) {
    const count = counts.get(step.ecosystem ?? batch.ecosystem);
    const status = results[index]?.status;
    if (!count || status === undefined) continue;
    // As the batch's row counts them (reverted steps are neither); a skipped step is another step's
    // casualty: only a step that failed makes its ecosystem fail.
    if (status === ITEM_STATUS.succeeded) count.succeeded += 1;
    else if (status === ITEM_STATUS.failed || status === ITEM_STATUS.skipped) count.failed += 1;
    if (status === ITEM_STATUS.failed) count.broke = true;
  }
  const explained = [...counts.values()].some((c) => c.broke);
  const outcomes: EcosystemOutcomes = {};
  for (const [ecosystem, c] of counts) {
    const outcome = !failed ? 'success' : c.broke || !explained ? 'failure' : 'none';
    outcomes[ecosystem] = { succeeded: c.succeeded, failed: c.failed, outcome };
  }
  return outcomes;
}

/** The ecosystems whose breakers hear a failure; undefined (every one the batch touched) for a one-ecosystem batch. */
export function failingEcosystems(outcomes: EcosystemOutcomes | null): string[] | undefined {
  if (!outcomes) return undefined;
  return Object.entries(outcomes)
    .filter(([, o]) => o.outcome === 'failure')
    .map(([ecosystem]) => ecosystem);
}
