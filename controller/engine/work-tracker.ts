// The engine's running work, so that close() can stop it cleanly: it aborts what is running (a run
// stops after its current operation and rolls back), waits for it to settle, and only then lets the
// store and git readers close. Work started after close() is refused with ENGINE_CLOSED.
import { BatchctlError } from '../errors/index.js';

export interface WorkTracker {
  /** aborted by close(): every run's signal follows it */
  readonly signal: AbortSignal;
  /** run `work`, known to close() until it settles */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** abort, then wait for every tracked piece of work to settle */
  close(): Promise<void>;
}

export function createWorkTracker(): WorkTracker {
  const controller = new AbortController();
  const running = new Set<Promise<unknown>>();
  return {
    signal: controller.signal,
    track(work) {
      if (controller.signal.aborted) {
        return Promise.reject(new BatchctlError({ code: 'ENGINE_CLOSED', message: 'the engine is closed', hint: 'open a new engine' }));
      }
      const promise = work();
      running.add(promise);
      const forget = (): void => void running.delete(promise);
      promise.then(forget, forget);
      return promise;
    },
    async close() {
      controller.abort();
      await Promise.allSettled([...running]);
    },
  };
}
