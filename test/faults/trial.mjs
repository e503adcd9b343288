// One trial (docs/reliability.md#the-trials): a fresh copy of the template, the canonical batch run
// under one fault, `batchctl recover`, the invariants, then a small batch that must still commit.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { CLI, REAL_GIT, baseEnv } from './env.mjs';
import { checkTrial } from './invariants.mjs';
import { copyTemplate } from './scenario.mjs';
import { gitOut } from './snapshot.mjs';

/** The strace arguments of a syscall trial: the n-th call of `syscall` in every tracee fails or kills. */
export function straceArgs({ syscall, fault, n }) {
  // signal= is ignored together with --seccomp-bpf in strace 6.1, so deaths are traced the slow way.
  const action = fault === 'KILL' ? 'signal=KILL' : `error=${fault}`;
  return [
    '-f',
    '-qq',
    '-o',
    '/dev/null',
    ...(fault === 'KILL' ? [] : ['--seccomp-bpf']),
    '-e',
    `trace=${syscall}`,
    '-e',
    `inject=${syscall}:${action}:when=${n}`,
  ];
}

/** The command and environment that run the canonical batch under `trial`'s fault. */
export function faultedRun({ trial, dir, batchFile, wrapperBin }) {
  const run = [CLI, 'run', batchFile, '--repo', dir, '--no-push'];
  if (trial.kind === 'strace') return { file: 'strace', args: [...straceArgs(trial), process.execPath, ...run], env: baseEnv() };
  const env = baseEnv({
    PATH: `${wrapperBin}:${process.env.PATH}`,
    FAULT_REAL_GIT: REAL_GIT,
    FAULT_GIT_SUB: trial.sub,
    FAULT_GIT_MODE: trial.mode,
    FAULT_GIT_NTH: String(trial.n),
    FAULT_GIT_COUNTER: join(dir, '..', `${trial.seq}.counter`),
  });
  rmSync(env.FAULT_GIT_COUNTER, { force: true });
  return { file: process.execPath, args: run, env };
}

/**
 * Runs a command as its own process group and waits for it, at most `timeoutMs`: a hang (EIO on
 * libuv's own pipe can deadlock Node) is killed with its whole group and counts as a crash point.
 */
export function runBounded({ file, args, env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stdout.resume();
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ pid: child.pid, code: timedOut ? null : code, signal, timedOut, stderr });
    });
  });
}

export function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

const cli = (dir, ...args) => {
  const r = spawnSync(process.execPath, [CLI, ...args, '--repo', dir], { env: baseEnv(), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr ?? '' };
};

/** Runs one trial in `work/<slot>` and returns its outcome: 'pre', 'post' or 'violation', with the problems. */
export async function runTrial({ trial, template, work, pre, post, batchFile, nextFile, wrapperBin, timeoutMs }) {
  const dir = join(work, `trial-${trial.seq}`);
  rmSync(dir, { recursive: true, force: true });
  copyTemplate(template, dir);
  const run = await runBounded({ ...faultedRun({ trial, dir, batchFile, wrapperBin }), timeoutMs });
  const recover = cli(dir, 'recover');
  // Anything of the faulted run still alive (a git child of a killed Node) goes now, after recover
  // had its chance to wait for it: no process outlives its trial.
  killGroup(run.pid);
  const { state, problems } = checkTrial({ dir, pre, post, run, recover });
  const next = cli(dir, 'run', nextFile, '--no-push');
  if (next.code !== 0 || gitOut(dir, 'cat-file', '-e', 'HEAD:after/next.txt') === null)
    problems.push({ check: 'next-batch', detail: `exit ${next.code}: ${next.stderr.trim().slice(0, 300)}` });
  const outcome = problems.length ? 'violation' : state;
  if (outcome !== 'violation') rmSync(dir, { recursive: true, force: true });
  return {
    id: trial.id,
    outcome,
    state,
    problems,
    run: { code: run.code, signal: run.signal, timedOut: run.timedOut },
    dir: outcome === 'violation' ? dir : undefined,
  };
}
