// Who may be using a git lock file right now, from /proc (Linux). Two kinds of user count: a process
// that holds the file open, and any git process working in the repository. The second matters
// because git keeps some locks with the file closed: `git commit -a` holds index.lock closed for as
// long as its editor is open, so an open-file check alone would miss that live writer.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { sep } from 'node:path';

import { isZombie } from './process-liveness.js';

export interface LockUser {
  pid: number;
  /** the process's name (/proc/<pid>/comm): git, git-remote-https, an editor… */
  command: string;
  how: 'holds it open' | 'runs git in this repository';
}

export interface LockUsers {
  /** lock file → a process holding it open */
  holding: Map<string, LockUser>;
  /** a git process in the repository: it may hold any lock, open or not */
  gitInRepository: LockUser | null;
}

const isInside = (path: string, dirs: readonly string[]): boolean => dirs.some((dir) => path === dir || path.startsWith(`${dir}${sep}`));

/**
 * This process's own object reader (`git cat-file --batch`, git/object-reader.ts): it only reads and
 * never takes a lock, so it is no other writer. Any other git, even one this process started, counts.
 */
function isOwnObjectReader(pid: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid) return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('cat-file');
  } catch {
    return false;
  }
}

/**
 * Scan every process but this one and its object reader. `files` are real paths (as /proc shows them); `dirs` are the
 * repository's work tree and git directories. Null when /proc cannot be read: then no lock can be
 * proven unused.
 */
export function findLockUsers({ files, dirs }: { files: readonly string[]; dirs: readonly string[] }): LockUsers | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid);
  } catch {
    return null;
  }
  const wanted = new Set(files);
  const users: LockUsers = { holding: new Map(), gitInRepository: null };
  for (const pid of pids) {
    let command: string;
    try {
      command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue; // ended while we looked
    }
    if (isZombie(pid) || isOwnObjectReader(pid)) continue;
    if (users.gitInRepository === null && (command === 'git' || command.startsWith('git-'))) {
      let cwd: string | null = null;
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        // Another user's git: where it works cannot be seen, so it may be here.
      }
      if (cwd === null || isInside(cwd, dirs)) users.gitInRepository = { pid: Number(pid), command, how: 'runs git in this repository' };
    }
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or ended: only git takes git's locks, and git is covered above
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (wanted.has(target) && !users.holding.has(target)) users.holding.set(target, { pid: Number(pid), command, how: 'holds it open' });
    }
  }
  return users;
}
