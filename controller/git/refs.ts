// Ref updates as one compare-and-swap transaction (`update-ref --stdin`): HEAD's branch, the batch
// tag and the backup ref move together or not at all, so a crash never leaves a commit without its tag.
import { BatchctlError } from '../errors/index.js';
import { GitError } from './git-error.js';
import type { ObjectFormat } from './object-format.js';
import { landedUpdates, readRefs, settlePartial, transactionInput, type ReadRef } from './ref-outcome.js';
import type { GitRunner } from './runner.js';
import { writeUnverified } from './write-unverified.js';

export type RefUpdate =
  | { kind: 'update'; ref: string; newOid: string; oldOid: string | null }
  | { kind: 'create'; ref: string; newOid: string }
  | { kind: 'delete'; ref: string; oldOid: string };

/**
 * All or nothing. A failure is reported as what it is: HEAD_MOVED only when a ref is no longer at
 * its expected old value (the compare-and-swap was lost); REF_LOCKED when another git process holds
 * a ref's lock; IO_FAILED when the disk refused; REF_UPDATE_FAILED when git stopped partway (what
 * had moved is put back, or with HEAD moved the rest is applied: ref-outcome.ts);
 * GIT_WRITE_UNVERIFIED when git exited 0 and moved nothing; GIT_FAILED (the GitError) for anything
 * else. Every one carries git's stderr in `data`. The refs are read after every call, success or not.
 */
export async function updateRefs(
  git: GitRunner,
  {
    updates,
    reason,
    objectFormat,
    readRef,
  }: { updates: readonly RefUpdate[]; reason: string; objectFormat: ObjectFormat; readRef: ReadRef },
): Promise<void> {
  let failure: GitError | null = null;
  const before = await readRefs(updates, readRef);
  try {
    await git.exec(['update-ref', '-m', reason, '-z', '--stdin'], { input: transactionInput(updates, objectFormat) });
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    failure = error;
  }
  const landed = await landedUpdates({ updates, readRef, exitedOk: failure === null, before });
  if (landed.every(Boolean)) return;
  if (landed.some(Boolean)) {
    return settlePartial({ git, updates, landed, stderr: failure?.stderr ?? '', reason, format: objectFormat, readRef });
  }
  // exit 0 with its input lost (the runner's EPIPE failure) is the same as exit 0 moving nothing
  if (failure && failure.gitExitCode !== 0) throw await explainFailure(git, updates, failure);
  throw writeUnverified({ what: 'git update-ref exited 0 and moved no ref', data: { refs: updates.map((u) => u.ref) } });
}

/** git's messages for a disk that refused a write (the runner sets LC_ALL=C). */
const IO_ERROR = /No space left on device|Disk quota exceeded|Input\/output error|Read-only file system|Permission denied/;
/** git's files backend, when a lock could not be committed (renamed into place) */
const REF_NOT_SET = /couldn't set '|unable to write|unable to append/;
/** "Unable to create '<path>.lock': File exists." */
const LOCK_HELD = /Unable to create '([^']+\.lock)': File exists/;

async function explainFailure(git: GitRunner, updates: readonly RefUpdate[], error: GitError): Promise<Error> {
  const { stderr } = error;
  // Asked of the refs themselves, not read from the message: a ref elsewhere than expected is the
  // one thing that makes a lost race.
  const moved: Array<{ ref: string; expected: string | null; actual: string | null }> = [];
  for (const u of updates) {
    const expected = u.kind === 'create' ? null : u.oldOid;
    const actual = await revParse(git, u.ref);
    if (actual !== expected) moved.push({ ref: u.ref, expected, actual });
  }
  if (moved.length > 0) {
    const [first] = moved as [(typeof moved)[number]];
    return new BatchctlError({
      code: 'HEAD_MOVED',
      message: `${first.ref} is at ${first.actual ?? 'nothing'}, not ${first.expected ?? 'nothing'} as expected: another update landed first; no ref moved`,
      hint: 'read the refs again and retry against their new values',
      data: { moved, stderr },
      cause: error,
    });
  }
  const lock = LOCK_HELD.exec(stderr)?.[1];
  if (lock) {
    return new BatchctlError({
      code: 'REF_LOCKED',
      message: `another git process holds ${lock}; no ref moved`,
      hint: 'retry once that process has finished; if none is running, one died and left the lock: remove the file',
      data: { lock, stderr, refs: updates.map((u) => u.ref) },
      cause: error,
    });
  }
  if (IO_ERROR.test(stderr)) {
    return new BatchctlError({
      code: 'IO_FAILED',
      message: `git could not write the refs: ${stderr.trim().split('\n')[0] ?? ''}; no ref moved`,
      hint: 'check the free space and permissions of the repository, then retry',
      data: { stderr, refs: updates.map((u) => u.ref) },
      cause: error,
    });
  }
  // Killed, or a lock that could not be renamed into place: the transaction failed, and nothing of
  // it stayed (landedUpdates found no ref moved).
  if (error.gitExitCode === null || REF_NOT_SET.test(stderr)) {
    return new BatchctlError({
      code: 'REF_UPDATE_FAILED',
      message: `git update-ref ${error.gitExitCode === null ? 'was killed' : `failed: ${stderr.trim().split('\n')[0] ?? ''}`}; no ref moved`,
      hint: 'check the free space and permissions of the repository, then retry',
      data: { stderr, moved: [], undone: [], left: [], refs: updates.map((u) => u.ref) },
      cause: error,
    });
  }
  return error;
}

/** The commit a ref points at (peeling tags), or null when it does not exist (an unborn HEAD). */
export async function resolveCommit(git: GitRunner, ref: string): Promise<string | null> {
  return revParse(git, `${ref}^{commit}`);
}

/** The object a name points at as it is (a tag stays the tag), or null when it does not exist. */
export async function revParse(git: GitRunner, name: string): Promise<string | null> {
  const { stdout, exitCode } = await git.exec(['rev-parse', '-q', '--verify', '--end-of-options', name], { okExitCodes: [1, 128] });
  return exitCode === 0 ? stdout.toString('utf8').trim() : null;
}
