// Step 5, apply: run the plan's steps concurrently where their paths allow, in order where they
// share a path or declare depends_on. A failed step skips everything that waits on it.
import { ITEM_STATUS, type ItemStatus, type Reason } from '../../domain/index.js';
import type { IndexEntry } from '../../git/index.js';
import { applyStep, OpFailure, type Effect, type RuntimeState } from '../../ops/index.js';
import type { Plan, PlanStep } from '../../validate/index.js';
import { isTransient, withRetry } from '../retry.js';

export interface StepResult {
  status: ItemStatus;
  attempts: number;
  error: Reason | null;
  /** succeeded without changing anything (a replace that matched nothing or put back the same text) */
  unchanged?: true;
}

export interface ApplyOutcome {
  results: StepResult[];
  /** final state of every path a successful step changed */
  runtime: Map<string, RuntimeState>;
}

export interface ApplyArgs {
  plan: Plan;
  root: string;
  concurrency: number;
  signal: AbortSignal;
  /** checked before each step starts: a reason stops the batch (emergency stop, cancel) */
  shouldStop?: () => string | null;
  /** before each step: a promise holds new steps back until it settles (a due poll of the remote) */
  gate?: () => Promise<void> | null;
  onStepDone: (step: PlanStep, result: StepResult) => void;
  /** each effect of a successful step, before it is recorded: may return the state to record instead */
  onEffect?: (effect: Effect) => RuntimeState;
}

function beforeState(entry: IndexEntry | null | undefined): RuntimeState {
  return entry ? { exists: true, oid: entry.oid, mode: entry.mode } : { exists: false, oid: null, mode: null };
}

/** A file-system error is IO_FAILED; its message keeps the errno (ENOSPC: no space left on device). */
function failureOf(error: unknown): Reason {
  if (error instanceof OpFailure) return { code: error.code, message: error.message };
  const errno = error as NodeJS.ErrnoException;
  return { code: errno.code ? 'IO_FAILED' : 'INTERNAL', message: errno.message ?? String(error) };
}

/** How long the apply loop may hold the event loop before it lets signals and timers in. */
const SLICE_MS = 20;

export function applyPlan({ plan, root, concurrency, signal, shouldStop, gate, onStepDone, onEffect }: ApplyArgs): Promise<ApplyOutcome> {
  const { steps } = plan;
  const runtime = new Map<string, RuntimeState>();
  const results: StepResult[] = steps.map(() => ({ status: ITEM_STATUS.pending, attempts: 0, error: null }));
  const waiting = steps.map((s) => s.after.length);
  const dependents: number[][] = steps.map(() => []);
  for (const step of steps) for (const dep of step.after) dependents[dep]?.push(step.id);
  const ready: number[] = steps.filter((s) => s.after.length === 0).map((s) => s.id);
  const ctx = {
    root,
    stateOf: (path: string) => runtime.get(path) ?? beforeState(plan.touched.get(path)),
    changedInRun: (path: string) => runtime.has(path),
  };
  let running = 0;
  let finished = 0;
  let readyAt = 0;
  // Steps run synchronously (ops/file-system.ts), so a run of small steps never returns to the
  // event loop by itself: yield every slice, or a SIGINT or a stop would wait for the whole batch.
  let sliceStart = performance.now();
  let yielding = false;
  let gated = false;

  return new Promise((resolve, reject) => {
    const finish = (id: number, result: StepResult): void => {
      results[id] = result;
      finished++;
      onStepDone(steps[id] as PlanStep, result);
      for (const next of dependents[id] ?? []) {
        if (--(waiting[next] as number) === 0) ready.push(next);
      }
    };

    const succeeded = (id: number, effects: readonly Effect[], attempts: number): void => {
      for (const effect of effects) runtime.set(effect.path, onEffect ? onEffect(effect) : effect.state);
      finish(id, { status: ITEM_STATUS.succeeded, attempts, error: null, ...(effects.length === 0 ? { unchanged: true as const } : {}) });
    };

    /**
     * A step runs synchronously (its file calls are); only a transient error (EBUSY, EMFILE, …)
     * makes it wait, retried with backoff while other steps go on.
     */
    const start = (id: number, step: PlanStep): void => {
      let effects: Effect[];
      try {
        effects = applyStep(step, ctx);
      } catch (error) {
        if (!isTransient(error)) {
          finish(id, { status: ITEM_STATUS.failed, attempts: 1, error: failureOf(error) });
          return;
        }
        running++;
        withRetry(() => applyStep(step, ctx), { failedSoFar: 1 })
          .then(({ value, attempts }) => succeeded(id, value, attempts))
          .catch((retryError: unknown) => {
            const attempts = (retryError as { attempts?: number }).attempts ?? 1;
            finish(id, { status: ITEM_STATUS.failed, attempts, error: failureOf(retryError) });
          })
          .finally(() => {
            running--;
            pumpLater();
          });
        return;
      }
      succeeded(id, effects, 1);
    };

    /** Outside the executor, a throw (a listener's, say) must still end the promise, not the process. */
    const pumpLater = (): void => {
      try {
        pump();
      } catch (error) {
        reject(error);
      }
    };

    const resume = (): void => {
      gated = false;
      yielding = false;
      sliceStart = performance.now();
      pumpLater();
    };

    function pump(): void {
      while (!gated && !yielding && running < concurrency && readyAt < ready.length) {
        const wait = gate?.() ?? null;
        if (wait) {
          gated = true;
          void wait.then(resume, resume);
          return;
        }
        if (performance.now() - sliceStart > SLICE_MS) {
          yielding = true;
          setImmediate(resume);
          return;
        }
        const id = ready[readyAt++] as number;
        const step = steps[id] as PlanStep;
        const blocked = step.after.some((dep) => results[dep]?.status !== ITEM_STATUS.succeeded);
        const stop = signal.aborted ? 'cancelled' : (shouldStop?.() ?? null);
        if (blocked || stop !== null) {
          finish(id, {
            status: ITEM_STATUS.skipped,
            attempts: 0,
            error: blocked
              ? { code: 'DEPENDENCY_FAILED', message: 'an operation this one waits for did not succeed' }
              : { code: 'STOPPED', message: `not started: ${stop}` },
          });
          continue;
        }
        start(id, step);
      }
      if (finished === steps.length && running === 0) resolve({ results, runtime });
    }
    pump();
  });
}
