// Is any process of an earlier run still alive? Recovery may only remove git's lock files when the
// answer is no: a killed node process can leave its git child running, which would then finish a
// ref update after recovery (docs/lifecycle.md#how-batchctl-drives-git, crash lessons).
import { readdirSync, readFileSync } from 'node:fs';

/** This process's group id, from /proc (Linux); null where /proc is not there. */
export function ownProcessGroup(): number | null {
  try {
    return processGroupOf('self');
  } catch {
    return null;
  }
}

/** /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses. */
function procStat(pid: string): { state: string; pgrp: number; start: string } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // field 22 of proc(5), starttime: clock ticks after boot; fields[0] is field 3
  return { state: fields[0] ?? '', pgrp: Number(fields[2]), start: fields[19] ?? '' };
}

/**
 * Who a process is, not only its number: pid, start time and boot (Linux /proc; null elsewhere).
 * A pid the kernel has given to another process since, or one from before a reboot, has another
 * identity, so a lock or a row it names can be told from one a live process holds.
 */
export interface ProcessIdentity {
  pid: number;
  start: string | null;
  boot: string | null;
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** This process's identity. */
export function ownIdentity(): ProcessIdentity {
  let start: string | null = null;
  try {
    start = procStat('self').start || null;
  } catch {
    // no /proc: the pid alone
  }
  return { pid: process.pid, start, boot: bootId() };
}

/** Is the process that `identity` names (on this host) still running? Unknown start/boot: by pid alone. */
export function identityAlive(identity: ProcessIdentity): boolean {
  if (identity.boot !== null && bootId() !== null && identity.boot !== bootId()) return false;
  if (!isAlive(identity.pid)) return false;
  if (identity.start === null) return true;
  try {
    return procStat(String(identity.pid)).start === identity.start;
  } catch {
    // no /proc here (or the process ended just now): trust kill(0)
    return isAlive(identity.pid);
  }
}

function processGroupOf(pid: string): number {
  return procStat(pid).pgrp;
}

/** A zombie (state Z) has exited and only waits to be reaped: it writes nothing any more. */
export function isZombie(pid: string): boolean {
  try {
    return procStat(pid).state === 'Z';
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(String(pid));
}

/** True when the process, or (with /proc) any member of its process group, still runs. */
export function runStillAlive({ pid, pgid }: { pid: number; pgid: number | null }): boolean {
  if (pid !== process.pid && isAlive(pid)) return true;
  if (pgid === null || pgid === ownProcessGroup()) return false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const { state, pgrp } = procStat(entry);
      if (pgrp === pgid && state !== 'Z') return true;
    } catch {
      // the process ended while we looked
    }
  }
  return false;
}
