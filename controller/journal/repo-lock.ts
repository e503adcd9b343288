// The repository lock (docs/lifecycle.md#durability-and-concurrency): one batch at a time per repository, across processes.
// proper-lockfile gives an atomic mkdir lock with mtime refresh; the owner file inside it (pid, start
// time, boot, host) decides on this host: a live owner's lock is never taken, however long it stalls
// (SIGSTOP, a blocked event loop), and a dead owner's is taken over at once. The mtime only judges an
// owner on another host (a state directory on a shared file system), or a lock that names nobody yet.
// Inside, not beside: an owner file can then only describe the lock directory it is in.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

import lockfile from 'proper-lockfile';

import { BatchctlError } from '../errors/index.js';
import { identityAlive, ownIdentity, type ProcessIdentity } from './process-liveness.js';

export type ReleaseLock = () => Promise<void>;

export interface LockOwner extends ProcessIdentity {
  hostname: string;
  /** this acquisition, so a holder whose lock was taken over never removes the next owner's file */
  token: string;
}

/** An owner on another host, or none named: stale once its mtime is this old. */
const REMOTE_STALE_MS = 30_000;
/** How often the holder refreshes the mtime (for waiters on other hosts). */
const UPDATE_MS = 2_500;
/**
 * proper-lockfile's own mtime staleness, which would take a live owner's lock after a stall: set
 * beyond any wait (setTimeout's limit), so that only the rules here ever take a lock over.
 */
const NEVER_STALE_MS = 2 ** 31 - 1;

interface LockFiles {
  target: string;
  lockDir: string;
  ownerFile: string;
  guard: string;
}

async function readOwnerText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

function parseOwner(text: string | null): Partial<LockOwner> | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Partial<LockOwner>) : null;
  } catch {
    return null;
  }
}

async function lockAgeMs(lockDir: string): Promise<number | null> {
  try {
    return Date.now() - (await stat(lockDir)).mtimeMs;
  } catch {
    return null;
  }
}

/** May the lock named by this owner file be taken? Live owners on this host: never. */
async function isStale(files: LockFiles, owner: Partial<LockOwner> | null): Promise<boolean> {
  if (owner && owner.hostname === hostname() && typeof owner.pid === 'number') {
    return !identityAlive({ pid: owner.pid, start: owner.start ?? null, boot: owner.boot ?? null });
  }
  const age = await lockAgeMs(files.lockDir);
  return age !== null && age > REMOTE_STALE_MS;
}

/**
 * Remove a stale lock under a short guard directory, after checking the owner file is still the one
 * judged stale: two waiters that both saw a dead owner must not remove each other's fresh lock.
 */
async function takeOver(files: LockFiles, judged: string | null): Promise<boolean> {
  try {
    await mkdir(files.guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another waiter is taking over (for milliseconds); a guard that old was left by a dead one.
    const age = await lockAgeMs(files.guard);
    if (age !== null && age > REMOTE_STALE_MS) await rm(files.guard, { recursive: true, force: true });
    return false;
  }
  try {
    const now = await readOwnerText(files.ownerFile);
    if (now !== judged) return true; // changed meanwhile: judge it afresh
    if (now === null && !(await isStale(files, null))) return true;
    await rm(files.lockDir, { recursive: true, force: true });
    return true;
  } finally {
    await rm(files.guard, { recursive: true, force: true });
  }
}

/** Release only what is still ours: a lock taken over meanwhile belongs to its new owner. */
function releaser(files: LockFiles, token: string, release: () => Promise<void>): ReleaseLock {
  return async () => {
    const owner = parseOwner(await readOwnerText(files.ownerFile));
    if (owner?.token !== token) return;
    await rm(files.ownerFile, { force: true });
    await release().catch(async (error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ERELEASED' && code !== 'ENOTACQUIRED') throw error;
      // proper-lockfile gave the lock up as compromised (its mtime was touched), but the owner file
      // still was ours, so nobody took it over: the directory is ours to remove.
      await rm(files.lockDir, { recursive: true, force: true });
    });
  };
}

/** Who holds the repository lock now (its owner file exists only inside a held lock), or null. */
export async function readLockOwner(stateDir: string): Promise<LockOwner | null> {
  const owner = parseOwner(await readOwnerText(join(`${join(stateDir, 'repo')}.lock`, 'owner.json')));
  return owner && typeof owner.pid === 'number' && typeof owner.hostname === 'string' ? (owner as LockOwner) : null;
}

/**
 * Wait for the lock, then hold it until release. `timeoutMs` bounds the wait for one holder: each
 * time the lock changes hands (a new owner token) the wait starts afresh, so writers taking turns on
 * one clone never time out because of the queue ahead of them, only because of a holder that stays.
 * @example const release = await acquireRepoLock({ stateDir }); try { … } finally { await release(); }
 */
export async function acquireRepoLock({ stateDir, timeoutMs = 120_000 }: { stateDir: string; timeoutMs?: number }): Promise<ReleaseLock> {
  await mkdir(stateDir, { recursive: true });
  const target = join(stateDir, 'repo');
  const files: LockFiles = {
    target,
    lockDir: `${target}.lock`,
    ownerFile: join(`${target}.lock`, 'owner.json'),
    guard: `${target}.takeover`,
  };
  let deadline = Date.now() + timeoutMs;
  let holder: string | undefined;
  let delay = 25;
  for (;;) {
    try {
      const release = await lockfile.lock(target, {
        lockfilePath: files.lockDir,
        realpath: false,
        stale: NEVER_STALE_MS,
        update: UPDATE_MS,
        onCompromised: () => undefined, // the journal, not the lock, protects the data; release copes
      });
      const token = randomUUID();
      const owner: LockOwner = { ...ownIdentity(), hostname: hostname(), token };
      // A file made in the directory moves its mtime, which proper-lockfile would then read as a
      // lock touched by someone else (compromised): put back the mtime it set.
      const { atime, mtime } = await stat(files.lockDir);
      await writeFile(files.ownerFile, JSON.stringify(owner));
      await utimes(files.lockDir, atime, mtime);
      return releaser(files, token, release);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const text = await readOwnerText(files.ownerFile);
      const owner = parseOwner(text);
      if ((await isStale(files, owner)) && (await takeOver(files, text))) continue;
      if (typeof owner?.token === 'string' && owner.token !== holder) {
        if (holder !== undefined) deadline = Date.now() + timeoutMs; // handed on: wait for this holder afresh
        holder = owner.token;
      }
      if (Date.now() >= deadline) {
        throw new BatchctlError({
          code: 'LOCK_TIMEOUT',
          message: `another batchctl process (pid ${owner?.pid ?? 'unknown'} on ${owner?.hostname ?? 'an unknown host'}) holds the repository lock ${files.lockDir}`,
          hint: 'wait for it to finish (a stopped process keeps its lock until it ends); a lock of a dead process is taken over automatically',
          data: { lock: files.lockDir, owner },
        });
      }
      // Waiting on another process's lock: poll with capped exponential backoff.
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 250);
    }
  }
}
