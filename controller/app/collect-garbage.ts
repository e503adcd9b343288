// A full garbage collection between the steps of a large batch. V8 lets the heap grow to a multiple
// of what survived the last full collection before it collects again, so the garbage one step leaves
// (parsing, then validating 100,000 operations) is still counted while the next step allocates: peak
// RSS for a 100,000-write batch was 420–460 MB and varied run to run. Collecting when a step ends
// costs 15–50 ms there, and nothing for the batches below LARGE_BATCH_STEPS.
// It lives in the composition root, not the engine: a forced collection is a process-wide pause, fine
// for the one-shot CLI (its only batch) and wrong for a long-lived engine serving many callers, which
// gets no such hook (docs/lifecycle.md#the-queue).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** From this many operations on, steps end with a full collection. */
export const LARGE_BATCH_STEPS = 20_000;

let collect: (() => void) | null | undefined;

/** The engine's betweenSteps hook for the one-shot CLI: collect after each step of a large batch. */
export function collectGarbage({ operations }: { operations: number }): void {
  if (operations < LARGE_BATCH_STEPS) return;
  if (collect === undefined) {
    try {
      // Node documents v8.setFlagsFromString for flags like this one; `gc` then exists in new contexts.
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
