// The repository lock (docs/lifecycle.md#durability-and-concurrency): one batch at a time per repository, across processes.
// proper-lockfile gives an atomic mkdir lock with mtime refresh; we add an owner file so a lock left by
// a dead process on this host is taken over at once instead of after the staleness timeout.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

import lockfile from 'proper-lockfile';

import { BatchctlError } from '../errors/index.js';
import { isAlive } from './process-liveness.js';

export type ReleaseLock = () => Promise<void>;

export interface LockOwner {
  pid: number;
  hostname: string;
}

const STALE_MS = 10_000;

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** Who holds the repository lock now (the owner file exists only while it is held), or null. */
export function readLockOwner(stateDir: string): Promise<LockOwner | null> {
  return readOwner(join(stateDir, 'repo.owner'));
}

/**
 * Wait for the lock (up to `timeoutMs`), then hold it until release.
 * @example const release = await acquireRepoLock({ stateDir }); try { … } finally { await release(); }
 */
export async function acquireRepoLock({ stateDir, timeoutMs = 120_000 }: { stateDir: string; timeoutMs?: number }): Promise<ReleaseLock> {
  await mkdir(stateDir, { recursive: true });
  const target = join(stateDir, 'repo');
  const lockDir = `${target}.lock`;
  const ownerFile = join(stateDir, 'repo.owner');
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  for (;;) {
    try {
      const release = await lockfile.lock(target, {
        lockfilePath: lockDir,
        realpath: false,
        stale: STALE_MS,
        update: STALE_MS / 4,
        onCompromised: () => undefined, // the journal, not the lock, protects the data
      });
      await writeFile(ownerFile, JSON.stringify({ pid: process.pid, hostname: hostname() } satisfies LockOwner));
      return async () => {
        await rm(ownerFile, { force: true });
        await release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const owner = await readOwner(ownerFile);
      if (owner && owner.hostname === hostname() && !isAlive(owner.pid)) {
        await rm(lockDir, { recursive: true, force: true });
        await rm(ownerFile, { force: true });
        continue;
      }
      if (Date.now() >= deadline) {
        throw new BatchctlError({
          code: 'LOCK_TIMEOUT',
          message: `another batchctl process (pid ${owner?.pid ?? 'unknown'}) holds the repository lock ${lockDir}`,
          hint: 'wait for it to finish; a lock of a dead process is taken over automatically',
          data: { lock: lockDir, owner },
        });
      }
      // Waiting on another process's lock: poll with capped exponential backoff.
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 250);
    }
  }
}
