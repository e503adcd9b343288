// One repository's work, one piece at a time, within this process (docs/lifecycle.md#the-queue): every
// job that takes the repository lock (a queued batch, a rollback, a retry, a control commit, recovery)
// runs here, so jobs of one process never wait on each other's lock: no lock polling and no
// LOCK_TIMEOUT for in-process work. The lock itself stays, for other processes.
import type { Logger } from '../../log/index.js';

/** The next queued batch to run, or null when none is ready: asked each time the lane is free. */
export type NextJob = () => (() => Promise<void>) | null;

export interface Lane {
  /** run `job` when the lane is free: such jobs run first-come, ahead of the next queued batch */
  exclusive<T>(job: () => Promise<T>): Promise<T>;
  /** a batch was queued (or the queue started): look for work if idle */
  kick(): void;
  /** resolves when nothing runs */
  idle(): Promise<void>;
  /** whether a job runs now */
  readonly busy: boolean;
}

export function createLane({ next, logger }: { next: NextJob; logger: Pick<Logger, 'error'> }): Lane {
  const urgent: Array<() => Promise<void>> = [];
  let pumping: Promise<void> | null = null;
  /** a kick that came while the pump was finishing: look again once it has */
  let again = false;

  async function pump(): Promise<void> {
    for (;;) {
      again = false;
      const job = urgent.shift() ?? next();
      if (!job) return;
      // A job's own promise carries its outcome to its caller; what escapes here is a bug.
      await job().catch((error: unknown) => logger.error({ err: error }, 'a queued job failed outside its own handling'));
    }
  }

  function kick(): void {
    if (pumping) {
      again = true;
      return;
    }
    pumping = pump().finally(() => {
      pumping = null;
      if (again || urgent.length > 0) kick();
    });
  }

  return {
    exclusive<T>(job: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        urgent.push(() => job().then(resolve, reject));
        kick();
      });
    },
    kick,
    async idle() {
      while (pumping) await pumping;
    },
    get busy() {
      return pumping !== null;
    },
  };
}
