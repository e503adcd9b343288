// One contender for the repository lock (test/stress/lock.test.ts): takes the lock of the built code
// (dist/) again and again for a while and checks, inside each hold, that nobody else holds it.
// The `holder` file is written inside every hold and removed before the release, so finding it at
// the start of a hold means either a dead holder (its lock was taken over: counted) or a live one (two
// holders at once: a violation). Some holds say `victim` (the test SIGKILLs them while holding) or
// `stall` (the test SIGSTOPs them and ages the lock, then lets them go on).
// argv: <built journal index.js> <state dir> <duration ms> <victim probability> <stall probability>
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [lockModule, stateDir, durationMs, victimP, stallP] = process.argv.slice(2);
const { acquireRepoLock } = await import(lockModule);
const marker = join(stateDir, 'holder');
const end = Date.now() + Number(durationMs);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** alive and not a zombie (a killed holder the test has not reaped yet is dead) */
function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

while (Date.now() < end) {
  const release = await acquireRepoLock({ stateDir, timeoutMs: 120_000 });
  let before = null;
  try {
    before = readFileSync(marker, 'utf8');
  } catch {
    // nobody left one: the usual case
  }
  // Said at once, line by line: a worker killed later (a victim) never prints its summary.
  if (before !== null) {
    if (alive(Number(before))) process.stdout.write(`violation ${process.pid} holds the lock while ${before} does\n`);
    else process.stdout.write(`takeover ${before}\n`);
  }
  writeFileSync(marker, String(process.pid));
  process.stdout.write('acquired\n');
  const roll = Math.random();
  if (roll < Number(victimP)) {
    process.stdout.write('victim\n');
    await new Promise(() => undefined); // held until the test kills this process
  }
  if (roll < Number(victimP) + Number(stallP)) {
    process.stdout.write('stall\n');
    await once(process.stdin, 'data'); // the test stops this process, ages the lock, continues it, then says go
  } else {
    await sleep(Math.random() * 3);
  }
  rmSync(marker, { force: true });
  await release();
}
process.stdout.write('done\n');
process.stdin.destroy();
