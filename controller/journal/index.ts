// journal/: the crash journal, durable writes and the repository lock.
export { removeFileDurably, syncDirectory, writeFileDurably } from './durable-write.js';
export { clearJournal, journalFile, readJournal, writeJournal } from './journal.js';
export { salvageJournal, type SalvagedJournal } from './salvage-journal.js';
export { planRecovery, type RecoveryPlan } from './plan-recovery.js';
export { identityAlive, isAlive, ownIdentity, ownProcessGroup, runStillAlive, type ProcessIdentity } from './process-liveness.js';
export { acquireRepoLock, readLockOwner, type LockOwner, type ReleaseLock } from './repo-lock.js';
export { gitLocksFor, removeRunGitLocks, type KeptLock, type LockSweep } from './git-locks.js';
export type { LockUser } from './git-lock-users.js';
