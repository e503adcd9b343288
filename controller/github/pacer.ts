// Paces GitHub's content-creating requests (docs/github-api.md#rate-pacing): GitHub's secondary limits
// allow about 80 a minute and 500 an hour, and ask for a second between writes. Waiting here keeps a
// run of writes under them instead of meeting a 403 and its Retry-After.

export interface PacerOptions {
  /** at most this many writes in any 60 s (GitHub: 80) */
  perMinute?: number;
  /** at most this many writes in any hour (GitHub: 500) */
  perHour?: number;
  /** at least this long between two writes (GitHub: one second) */
  minGapMs?: number;
  now?: () => number;
  /** how a wait is spent (tests pass one that records the wait and resolves at once) */
  sleep?: (ms: number) => Promise<void>;
}

export interface Pacer {
  /** resolves when one more write may start, and counts it */
  take(): Promise<void>;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long to wait before the next write, given the start times of the last hour's writes (oldest first). */
export function delayBeforeNext(
  starts: readonly number[],
  at: number,
  limits: Required<Pick<PacerOptions, 'perMinute' | 'perHour' | 'minGapMs'>>,
): number {
  const last = starts[starts.length - 1];
  let delay = last === undefined ? 0 : last + limits.minGapMs - at;
  const inMinute = starts.filter((t) => t > at - MINUTE);
  // The write that has to leave the window before one more fits in.
  if (inMinute.length >= limits.perMinute) delay = Math.max(delay, (inMinute[inMinute.length - limits.perMinute] ?? at) + MINUTE - at);
  const inHour = starts.filter((t) => t > at - HOUR);
  if (inHour.length >= limits.perHour) delay = Math.max(delay, (inHour[inHour.length - limits.perHour] ?? at) + HOUR - at);
  return Math.max(0, delay);
}

/** @example const pacer = createPacer(); await pacer.take(); await octokit.rest.issues.create(…) */
export function createPacer({
  perMinute = 80,
  perHour = 500,
  minGapMs = 1000,
  now = Date.now,
  sleep = realSleep,
}: PacerOptions = {}): Pacer {
  const starts: number[] = [];
  let queue: Promise<void> = Promise.resolve();
  const takeOne = async (): Promise<void> => {
    for (;;) {
      const delay = delayBeforeNext(starts, now(), { perMinute, perHour, minGapMs });
      if (delay === 0) break;
      await sleep(delay);
    }
    starts.push(now());
    while (starts.length > 0 && (starts[0] ?? 0) <= now() - HOUR) starts.shift();
  };
  return {
    // One at a time, in the order asked: writes are paced as a single stream.
    take() {
      const turn = queue.then(takeOne);
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
