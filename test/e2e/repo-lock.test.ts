// The repository lock (docs/lifecycle.md#durability-and-concurrency): a live owner's lock is never
// taken, however long it stalls; a dead owner's (or a reused pid's) is taken over at once. The holder
// is a real child process running the built lock code (dist/), stopped with SIGSTOP.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { BatchctlError } from '../../controller/errors/index.js';
import { acquireRepoLock } from '../../controller/journal/index.js';

const BUILT_LOCK = fileURLToPath(new URL('../../dist/controller/journal/index.js', import.meta.url));

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-lock-'));
  dirs.push(dir);
  return dir;
}

/** A child process that takes the lock and says so on stdout, then holds it until killed. */
async function holder(dir: string): Promise<ChildProcess> {
  const script = `const { acquireRepoLock } = await import(${JSON.stringify(BUILT_LOCK)});
await acquireRepoLock({ stateDir: ${JSON.stringify(dir)}, timeoutMs: 0 });
process.stdout.write('held\\n');
setInterval(() => undefined, 1 << 30);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(chunk.toString()).toBe('held\n');
  return child;
}

async function lockError(dir: string, timeoutMs: number): Promise<BatchctlError> {
  const error = await acquireRepoLock({ stateDir: dir, timeoutMs }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BatchctlError);
  return error as BatchctlError;
}

/** Pretend the lock has not been refreshed for an hour: what a stall that long looks like on disk. */
function ageLock(dir: string): void {
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(join(dir, 'repo.lock'), past, past);
}

const owner = (dir: string): { pid: number } => JSON.parse(readFileSync(join(dir, 'repo.lock', 'owner.json'), 'utf8')) as { pid: number };

describe('the repository lock', () => {
  it('never takes the lock of a live owner that stalls (SIGSTOP), however old its mtime', async () => {
    const dir = stateDir();
    const child = await holder(dir);
    child.kill('SIGSTOP');
    ageLock(dir);
    const error = await lockError(dir, 300);
    expect(error.code).toBe('LOCK_TIMEOUT');
    expect(owner(dir).pid).toBe(child.pid);
    expect(existsSync(join(dir, 'repo.lock'))).toBe(true);
  });

  it('takes over at once the lock of an owner that died without releasing it', async () => {
    const dir = stateDir();
    const child = await holder(dir);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(existsSync(join(dir, 'repo.lock'))).toBe(true);
    const release = await acquireRepoLock({ stateDir: dir, timeoutMs: 0 });
    expect(owner(dir).pid).toBe(process.pid);
    await release();
    expect(existsSync(join(dir, 'repo.lock'))).toBe(false);
  });

  it('takes over a lock whose owner pid now belongs to another process (its start time differs)', async () => {
    const dir = stateDir();
    mkdirSync(join(dir, 'repo.lock'));
    // Our own pid, alive, but not the process that took the lock: it started at another time.
    writeFileSync(
      join(dir, 'repo.lock', 'owner.json'),
      JSON.stringify({ pid: process.pid, hostname: hostname(), start: '1', boot: null, token: 'old' }),
    );
    const release = await acquireRepoLock({ stateDir: dir, timeoutMs: 0 });
    expect(owner(dir)).toMatchObject({ pid: process.pid });
    expect(owner(dir)).not.toMatchObject({ token: 'old' });
    await release();
  });

  it('waits for a lock whose owner names no process of this host until its mtime is stale', async () => {
    const dir = stateDir();
    mkdirSync(join(dir, 'repo.lock'));
    writeFileSync(
      join(dir, 'repo.lock', 'owner.json'),
      JSON.stringify({ pid: 1, hostname: 'another-host', start: null, boot: null, token: 'x' }),
    );
    expect((await lockError(dir, 0)).code).toBe('LOCK_TIMEOUT');
    ageLock(dir);
    const release = await acquireRepoLock({ stateDir: dir, timeoutMs: 0 });
    expect(owner(dir).pid).toBe(process.pid);
    await release();
  });

  it('restarts the wait each time the lock changes hands: a queue of holders is no timeout', async () => {
    const dir = stateDir();
    mkdirSync(join(dir, 'repo.lock'));
    // Holders on another host (judged by mtime only, fresh here) hand the lock on every 350 ms, five
    // times: 1.75 s in all, each holder well inside the waiter's 1 s. The wait is for one holder.
    const hand = (token: string): void =>
      writeFileSync(
        join(dir, 'repo.lock', 'owner.json'),
        JSON.stringify({ pid: 1, hostname: 'another-host', start: null, boot: null, token }),
      );
    hand('holder-0');
    const waiting = acquireRepoLock({ stateDir: dir, timeoutMs: 1_000 });
    for (let i = 1; i <= 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 350)); // a holder's turn (pacing, not synchronisation)
      hand(`holder-${i}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 350));
    rmSync(join(dir, 'repo.lock'), { recursive: true, force: true }); // the last holder releases
    const release = await waiting;
    expect(owner(dir).pid).toBe(process.pid);
    await release();
  });

  it('a holder whose lock was taken over releases without an error and leaves the new owner alone', async () => {
    const dir = stateDir();
    const release = await acquireRepoLock({ stateDir: dir, timeoutMs: 0 });
    // Another host's process took the stale-looking lock: its owner file replaced ours.
    const theirs = JSON.stringify({ pid: 1, hostname: 'another-host', start: null, boot: null, token: 'theirs' });
    writeFileSync(join(dir, 'repo.lock', 'owner.json'), theirs);
    await expect(release()).resolves.toBeUndefined();
    expect(readFileSync(join(dir, 'repo.lock', 'owner.json'), 'utf8')).toBe(theirs);
    expect(existsSync(join(dir, 'repo.lock'))).toBe(true);
  });
});
