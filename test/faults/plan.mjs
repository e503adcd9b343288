// Which trials to run (docs/reliability.md#the-trials). One clean traced run counts every mutating
// syscall per tracee (strace's when=N counts per tracee), one clean run through the logging git
// wrapper counts each plumbing subcommand's invocations; the trials cover those index ranges.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { CLI, REAL_GIT, baseEnv } from './env.mjs';
import { copyTemplate } from './scenario.mjs';

/** The mutating syscalls (x86-64 names). openat cannot be filtered by O_CREAT: every openat counts. */
export const SYSCALLS = [
  'pwrite64',
  'write',
  'fsync',
  'fdatasync',
  'rename',
  'renameat',
  'renameat2',
  'unlink',
  'unlinkat',
  'mkdir',
  'mkdirat',
  'rmdir',
  'ftruncate',
  'chmod',
  'fchmod',
  'fchmodat',
  'openat',
  'link',
  'linkat',
];
export const SYSCALL_FAULTS = ['EIO', 'ENOSPC', 'KILL'];
export const PLUMBING = ['update-ref', 'update-index', 'mktree', 'hash-object', 'commit-tree', 'mktag', 'cat-file', 'fast-import'];
export const GIT_MODES = ['exit', 'kill', 'kill-after-read', 'cut', 'enospc', 'eio-rename', 'kill-rename'];

/** syscall → the highest call count of any one tracee in a clean run of the batch. */
export function countSyscalls({ template, work, batchFile, syscalls }) {
  const dir = join(work, 'count-syscalls');
  const trace = join(work, 'count.trace');
  copyTemplate(template, dir);
  const r = spawnSync(
    'strace',
    ['-f', '-qq', '-o', trace, '-e', `trace=${syscalls.join(',')}`, process.execPath, CLI, 'run', batchFile, '--repo', dir, '--no-push'],
    { env: baseEnv(), encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`the traced clean run failed: ${r.stderr}`);
  const perTracee = new Map();
  for (const line of readFileSync(trace, 'utf8').split('\n')) {
    const m = /^(\d+)\s+([a-z0-9_]+)\(/.exec(line); // "<... resumed>" lines are the same call's end
    if (!m) continue;
    const key = `${m[2]} ${m[1]}`;
    perTracee.set(key, (perTracee.get(key) ?? 0) + 1);
  }
  const max = {};
  for (const [key, count] of perTracee) {
    const name = key.split(' ')[0];
    max[name] = Math.max(max[name] ?? 0, count);
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(trace, { force: true });
  return max;
}

/** subcommand → how many times a clean run invokes it. */
export function countPlumbing({ template, work, batchFile, wrapperBin }) {
  const dir = join(work, 'count-git');
  const log = join(work, 'count.git-log');
  copyTemplate(template, dir);
  const env = baseEnv({ PATH: `${wrapperBin}:${process.env.PATH}`, FAULT_REAL_GIT: REAL_GIT, FAULT_GIT_LOG: log });
  const r = spawnSync(process.execPath, [CLI, 'run', batchFile, '--repo', dir, '--no-push'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the clean run through the git wrapper failed: ${r.stderr}`);
  const counts = {};
  for (const sub of readFileSync(log, 'utf8').split('\n').filter(Boolean)) counts[sub] = (counts[sub] ?? 0) + 1;
  rmSync(dir, { recursive: true, force: true });
  rmSync(log, { force: true });
  return counts;
}

/** `k` indices spread evenly over 1..max with a seeded offset, so the seed picks the exact points. */
export function spread({ max, k, random }) {
  if (k >= max) return Array.from({ length: max }, (_, i) => i + 1);
  const points = new Set();
  for (let i = 0; i < k; i++) points.add(1 + Math.floor(((i + random()) / k) * max));
  return [...points].sort((a, b) => a - b);
}

/** Every trial, as { id, kind, ... }; `perGroup` bounds the indices per (syscall, fault) and (subcommand, mode). */
export function planTrials({ syscallCounts, plumbingCounts, perGroup, gitPerGroup, random }) {
  const trials = [];
  for (const [syscall, max] of Object.entries(syscallCounts))
    for (const fault of SYSCALL_FAULTS)
      for (const n of spread({ max, k: perGroup, random }))
        trials.push({ id: `strace:${syscall}:${fault}:${n}`, kind: 'strace', syscall, fault, n });
  for (const sub of PLUMBING) {
    const max = plumbingCounts[sub] ?? 0;
    for (const mode of GIT_MODES)
      for (const n of spread({ max, k: gitPerGroup, random })) trials.push({ id: `git:${sub}:${mode}:${n}`, kind: 'git', sub, mode, n });
  }
  return trials;
}

/** The trial an id names (the reproducer form `strace:pwrite64:EIO:37` or `git:mktree:cut:1`). */
export function parseTrialId(id) {
  const [kind, what, how, n] = id.split(':');
  if (kind === 'strace' && SYSCALL_FAULTS.includes(how) && /^\d+$/.test(n ?? ''))
    return { id, kind, syscall: what, fault: how, n: Number(n) };
  if (kind === 'git' && GIT_MODES.includes(how) && /^\d+$/.test(n ?? '')) return { id, kind, sub: what, mode: how, n: Number(n) };
  throw new Error(`not a trial id: ${id} (strace:SYSCALL:EIO|ENOSPC|KILL:N or git:SUBCOMMAND:MODE:N)`);
}
