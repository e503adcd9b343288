// Retrying transient file-system errors with exponential backoff (SPEC §4 step 5).
const TRANSIENT = new Set(['EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'EINTR', 'ETXTBSY']);

export function isTransient(error: unknown): boolean {
  return TRANSIENT.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** Runs `action` up to `attempts` times; reports how many it took. */
export async function withRetry<T>(
  action: () => Promise<T>,
  { attempts = 4, baseDelayMs = 10 }: { attempts?: number; baseDelayMs?: number } = {},
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await action(), attempts: attempt };
    } catch (error) {
      if (!isTransient(error) || attempt >= attempts) throw Object.assign(error as object, { attempts: attempt });
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
