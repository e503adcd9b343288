// The git lock files a batch run may take, named in its journal before it takes them, and their
// removal at crash recovery. A lock file is removed only when it is one the journal names, was
// made after the journal named it, and no process is using it (git-lock-users.ts); any other is
// left where it is, because it may be a live git's (issue 9 A7).
import { lstat, readFile, realpath, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

import type { JournalGitLock } from '../domain/index.js';
import { findLockUsers, type LockUser } from './git-lock-users.js';

/** HEAD and per-worktree refs live in the worktree's git directory, the rest in the common one (gitrepository-layout(5)). */
const PER_WORKTREE = /^(HEAD$|[A-Z_]+_HEAD$|refs\/(bisect|worktree|rewritten)\/)/;

/** File times come from the kernel's coarse clock, which may trail Date.now() by a tick. */
const CLOCK_SLACK_MS = 100;

const isInside = (path: string, dirs: readonly string[]): boolean => dirs.some((dir) => path === dir || path.startsWith(`${dir}${sep}`));

/** The directory shared by every worktree of the repository (the git directory itself, but in a linked worktree). */
async function commonDirOf(gitDir: string): Promise<string> {
  try {
    return resolve(gitDir, (await readFile(join(gitDir, 'commondir'), 'utf8')).trim());
  } catch {
    return gitDir;
  }
}

/** The branch HEAD points at (refs/heads/main), or null when it is detached. */
async function headTarget(gitDir: string): Promise<string | null> {
  const text = await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => '');
  return /^ref: (refs\/\S+)\s*$/.exec(text)?.[1] ?? null;
}

/**
 * Journal entries for the lock files that updating these refs (and the index) may create, recorded
 * as of `now`. Updating HEAD through its branch locks both.
 * @example await writeJournal(stateDir, { ...journal, git_locks: await gitLocksFor({ gitDir, refs: ['HEAD'], index: true }) })
 */
export async function gitLocksFor({
  gitDir,
  refs,
  index = false,
  now = new Date(),
}: {
  gitDir: string;
  refs: readonly string[];
  index?: boolean;
  now?: Date;
}): Promise<JournalGitLock[]> {
  const common = await commonDirOf(gitDir);
  const names = new Set(refs);
  const branch = names.has('HEAD') ? await headTarget(gitDir) : null;
  if (branch) names.add(branch);
  const files = [
    ...(index ? [join(gitDir, 'index.lock')] : []),
    ...[...names].map((ref) => join(PER_WORKTREE.test(ref) ? gitDir : common, `${ref}.lock`)),
  ];
  const since = now.toISOString();
  return files.map((file) => ({ file: relative(gitDir, file), since }));
}

export interface KeptLock {
  file: string;
  /** why it may not be the interrupted run's debris */
  why: string;
  user: LockUser | null;
}

export interface LockSweep {
  removed: string[];
  kept: KeptLock[];
}

/**
 * Remove the lock files the journal names that the interrupted run left. Call only once no process
 * of that run is alive (runStillAlive). Files the journal does not name are never looked at.
 */
export async function removeRunGitLocks({
  gitDir,
  root,
  locks,
  runHost = null,
}: {
  gitDir: string;
  /** the work tree: a git process working there may hold any lock */
  root: string;
  locks: readonly JournalGitLock[];
  /** the run was on this other host (a shared repository): its processes cannot be seen from here */
  runHost?: string | null;
}): Promise<LockSweep> {
  const common = await commonDirOf(gitDir);
  const earliest = new Map<string, number>();
  for (const lock of locks) {
    const file = resolve(gitDir, lock.file);
    // The journal is read from disk: a name that leaves git's directories, or is no lock, is not followed.
    if (!file.endsWith('.lock') || !isInside(file, [gitDir, common])) continue;
    earliest.set(file, Math.min(earliest.get(file) ?? Infinity, Date.parse(lock.since)));
  }
  const sweep: LockSweep = { removed: [], kept: [] };
  const candidates: Array<{ file: string; real: string }> = [];
  for (const [file, since] of earliest) {
    const stat = await lstat(file).catch(() => null);
    if (!stat?.isFile()) continue;
    // Made before the run named it: someone else's lock (the run's own git would have failed on it).
    const made = stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.mtimeMs;
    if (made < since - CLOCK_SLACK_MS) sweep.kept.push({ file, why: 'it was there before the run could take it', user: null });
    else candidates.push({ file, real: await realpath(file) });
  }
  if (candidates.length === 0) return sweep;
  const users = runHost === null ? findLockUsers({ files: candidates.map((c) => c.real), dirs: [root, gitDir, common] }) : null;
  for (const { file, real } of candidates) {
    const user = users ? (users.holding.get(real) ?? users.gitInRepository) : null;
    if (runHost !== null) sweep.kept.push({ file, why: `the run was on ${runHost}, whose processes cannot be seen from here`, user: null });
    else if (!users) sweep.kept.push({ file, why: 'without /proc no process can be proven not to use it', user: null });
    else if (user) sweep.kept.push({ file, why: `${user.command} (pid ${user.pid}) ${user.how}`, user });
    else {
      await rm(file, { force: true });
      sweep.removed.push(file);
    }
  }
  return sweep;
}
