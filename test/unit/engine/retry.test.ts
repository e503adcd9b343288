import { describe, expect, it } from 'vitest';

import { withRetry } from '../../../controller/engine/retry.js';

function failing(times: number, code: string): () => Promise<string> {
  let calls = 0;
  return async () => {
    if (calls++ < times) throw Object.assign(new Error(code), { code });
    return 'done';
  };
}

describe('retrying transient file-system errors', () => {
  it('retries EBUSY with backoff until it succeeds', async () => {
    await expect(withRetry(failing(2, 'EBUSY'), { baseDelayMs: 1 })).resolves.toEqual({ value: 'done', attempts: 3 });
  });

  it('gives up after the last attempt and says how many it made', async () => {
    await expect(withRetry(failing(9, 'EAGAIN'), { attempts: 3, baseDelayMs: 1 })).rejects.toMatchObject({ code: 'EAGAIN', attempts: 3 });
  });

  it('does not retry a permanent error', async () => {
    await expect(withRetry(failing(1, 'ENOENT'), { baseDelayMs: 1 })).rejects.toMatchObject({ code: 'ENOENT', attempts: 1 });
  });

  it('counts on from the attempts the caller already made, and takes a synchronous action', async () => {
    let calls = 0;
    const action = (): string => {
      if (calls++ < 1) throw Object.assign(new Error('EBUSY'), { code: 'EBUSY' });
      return 'done';
    };
    await expect(withRetry(action, { failedSoFar: 1, baseDelayMs: 1 })).resolves.toEqual({ value: 'done', attempts: 3 });
    await expect(withRetry(failing(9, 'EBUSY'), { failedSoFar: 3, baseDelayMs: 1 })).rejects.toMatchObject({ code: 'EBUSY', attempts: 4 });
  });
});
