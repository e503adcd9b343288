// health(): what a server's health check and dashboard show of one repository's engine
// (docs/lifecycle.md#the-queue): the queue, what runs, what a crash left, who holds the lock.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { ProgressData } from '../domain/index.js';
import { journalFile, readJournal, readLockOwner, type LockOwner } from '../journal/index.js';
import type { Store } from '../store/index.js';
import type { EngineDeps } from './engine-deps.js';
import type { LiveProgress } from './live-progress.js';

export interface Health {
  /** batches waiting in the store's queue (this process's and others') */
  queue_depth: number;
  /** backup refs kept (refs/batchctl/backups/*, until their retention ends) */
  backup_count: number;
  /** the batch this engine runs now (a queued batch, a rollback or retry), or null */
  running: { batch_id: string; status: string | null; progress: ProgressData | null } | null;
  /** a crash journal on disk: the next command finishes or undoes that batch (`batchctl recover`) */
  pending_journal: { batch_id: string; state: string; pid: number; started_at: string } | null;
  /** the process holding the repository lock now, or null */
  lock_holder: LockOwner | null;
}

/** The counts as of a store stamp: a health check polled while nothing changes costs the stamp, not two counts. */
const counted = new WeakMap<Store, { stamp: string; queue: number; backups: number }>();

function counts(store: Store): { queue: number; backups: number } {
  const stamp = store.changeStamp();
  let kept = counted.get(store);
  if (kept?.stamp !== stamp) counted.set(store, (kept = { stamp, queue: store.queue.count(), backups: store.backups.count() }));
  return kept;
}

export async function health(deps: EngineDeps, { running, live }: { running: string | null; live: LiveProgress }): Promise<Health> {
  // GET /health asks this on every request, and mostly neither file is there: a stat on the event loop
  // says so in microseconds, where a read that fails is a thread-pool round trip and an ENOENT error with
  // its stack (docs/benchmarks.md#http-reads). A file that comes or goes in between is read as before.
  const journal = existsSync(journalFile(deps.stateDir)) ? await readJournal(deps.stateDir).catch(() => null) : null;
  // The lock is the directory acquireRepoLock makes beside `repo` (journal/repo-lock.ts).
  const locked = existsSync(`${join(deps.stateDir, 'repo')}.lock`);
  const { queue, backups } = counts(deps.store);
  return {
    queue_depth: queue,
    backup_count: backups,
    running: running
      ? { batch_id: running, status: deps.store.batches.get(running)?.status ?? null, progress: live.of(running) ?? null }
      : null,
    pending_journal: journal
      ? { batch_id: journal.batch_id, state: journal.state, pid: journal.pid, started_at: journal.started_at }
      : null,
    lock_holder: locked ? await readLockOwner(deps.stateDir) : null,
  };
}
