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
function procStat(pid: string): { state: string; pgrp: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
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
