// Retrying transient file-system errors with exponential backoff (docs/lifecycle.md#apply).
const TRANSIENT = new Set(['EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'EINTR', 'ETXTBSY']);

export function isTransient(error: unknown): boolean {
  return TRANSIENT.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/**
 * Runs `action` up to `attempts` times in all, waiting `baseDelayMs`, then twice that, … before each
 * retry; reports how many attempts it took. `failedSoFar`: attempts the caller already made itself.
 */
export async function withRetry<T>(
  action: () => T | Promise<T>,
  { attempts = 4, baseDelayMs = 10, failedSoFar = 0 }: { attempts?: number; baseDelayMs?: number; failedSoFar?: number } = {},
): Promise<{ value: T; attempts: number }> {
  for (let attempt = failedSoFar + 1; ; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 2)));
    try {
      return { value: await action(), attempts: attempt };
    } catch (error) {
      if (!isTransient(error) || attempt >= attempts) throw Object.assign(error as object, { attempts: attempt });
    }
  }
}
