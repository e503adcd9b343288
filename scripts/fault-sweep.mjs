// npm run test:faults -- [--short] [--seed N] [--syscalls a,b] [--max-trials N] [--report FILE]
//   [--jobs N] [--only TRIAL-ID,…] [--timeout SECONDS] [--budget SECONDS]
// The fault-injection sweep of docs/reliability.md: the canonical atomic batch under strace faults
// and deaths at every call index of the mutating syscalls, and faults inside each git plumbing
// subcommand, each followed by `batchctl recover` and the invariants. Exit 1 on any violation.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { CLI, ROOT, baseEnv } from '../test/faults/env.mjs';
import { SYSCALLS, countPlumbing, countSyscalls, parseTrialId, planTrials } from '../test/faults/plan.mjs';
import { formatTable, formatViolations, tabulate, violationsByClass } from '../test/faults/report.mjs';
import { canonicalBatch, copyTemplate, makeTemplate, nextBatch } from '../test/faults/scenario.mjs';
import { selfCheck } from '../test/faults/self-check.mjs';
import { snapshot } from '../test/faults/snapshot.mjs';
import { runTrial } from '../test/faults/trial.mjs';

const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    seed: { type: 'string', default: '20261202' },
    syscalls: { type: 'string' },
    'max-trials': { type: 'string' },
    report: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    only: { type: 'string' },
    timeout: { type: 'string', default: '15' },
    budget: { type: 'string' },
  },
});
const usage = (why) => {
  console.error(
    `fault-sweep: ${why}\nusage: npm run test:faults -- [--short] [--seed N] [--syscalls a,b] [--max-trials N] [--report FILE] [--jobs N] [--only ID,…] [--timeout S] [--budget S]`,
  );
  process.exit(2);
};
for (const key of ['seed', 'max-trials', 'jobs', 'timeout', 'budget'])
  if (values[key] !== undefined && !/^\d+$/.test(values[key])) usage(`--${key} takes a number`);
const seed = Number(values.seed);
const syscalls = values.syscalls ? values.syscalls.split(',') : SYSCALLS;
for (const s of syscalls) if (!SYSCALLS.includes(s)) usage(`unknown syscall ${s} (one of ${SYSCALLS.join(', ')})`);
// --short is CI's: about two indices per (syscall, fault) and one per (subcommand, mode), ~3 min on 2 cores.
const maxTrials = Number(values['max-trials'] ?? (values.short ? 100 : 1500));
const jobs = Math.max(1, Number(values.jobs));
// A wall-clock bound on the whole sweep (CI's --short: 170 s): trials not started by then are
// reported as not run, never counted as passed.
const budgetMs = Number(values.budget ?? (values.short ? 170 : 0)) * 1000;

/** mulberry32: a tiny seeded PRNG, so the seed picks the exact indices a sweep tries. */
function rng(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'batchctl-faults-'));
const template = join(work, 'template');
makeTemplate(template);
const batchFile = join(work, 'batch.json');
const nextFile = join(work, 'next.json');
writeFileSync(batchFile, JSON.stringify(canonicalBatch()));
writeFileSync(nextFile, JSON.stringify(nextBatch()));
const wrapperBin = join(work, 'bin');
mkdirSync(wrapperBin);
symlinkSync(join(ROOT, 'test/faults/git-wrapper.sh'), join(wrapperBin, 'git'));

// The two states every trial must end in: the template as it is, and a clean run's result.
const pre = snapshot(template);
const cleanDir = join(work, 'clean');
copyTemplate(template, cleanDir);
const clean = spawnSync(process.execPath, [CLI, 'run', batchFile, '--repo', cleanDir, '--no-push'], { env: baseEnv(), encoding: 'utf8' });
if (clean.status !== 0) throw new Error(`the clean run failed: ${clean.stderr}`);
const post = snapshot(cleanDir);
console.log(`invariant checker: ${selfCheck({ template, cleanDir, work, pre, post })} planted faults found`);

let trials;
if (values.only) trials = values.only.split(',').map(parseTrialId);
else {
  const syscallCounts = Object.fromEntries(
    Object.entries(countSyscalls({ template, work, batchFile, syscalls })).filter(([name]) => syscalls.includes(name)),
  );
  const plumbingCounts = countPlumbing({ template, work, batchFile, wrapperBin });
  console.log(`calls per tracee in a clean run: ${JSON.stringify(syscallCounts)}`);
  console.log(`git subcommands in a clean run: ${JSON.stringify(plumbingCounts)}`);
  // The widest sweep that fits --max-trials: every index where there are few, a seeded spread where many.
  let perGroup = values.short ? 1 : 60;
  const gitPerGroup = values.short ? 1 : 3;
  do trials = planTrials({ syscallCounts, plumbingCounts, perGroup, gitPerGroup, random: rng(seed) });
  while (trials.length > maxTrials && --perGroup > 0);
  trials = trials.slice(0, maxTrials);
}
trials.forEach((t, seq) => (t.seq = seq));
console.log(`fault sweep: ${trials.length} trials, seed ${seed}, ${jobs} at a time, scratch ${work}`);

const replay = (t) => `npm run test:faults -- --only ${t.id}`;
const timeoutMs = Number(values.timeout) * 1000;
const results = [];
let next = 0;
async function worker() {
  while (next < trials.length && !(budgetMs && Date.now() - started > budgetMs)) {
    const trial = trials[next++];
    const r = await runTrial({ trial, template, work, pre, post, batchFile, nextFile, wrapperBin, timeoutMs });
    results.push({ ...r, trial });
    const done = results.length;
    if (r.outcome === 'violation')
      console.log(`[${done}/${trials.length}] VIOLATION ${trial.id}: ${r.problems.map((p) => p.check).join(', ')}`);
    else if (done % 25 === 0) console.log(`[${done}/${trials.length}] ${Math.round((Date.now() - started) / 1000)} s`);
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
results.sort((a, b) => a.trial.seq - b.trial.seq);

const rows = tabulate(results);
const groups = violationsByClass(results, replay);
const violations = results.filter((r) => r.outcome === 'violation').length;
console.log(`\n${formatTable(rows)}\n`);
if (violations) console.log(`${formatViolations(groups)}\n`);
const seconds = Math.round((Date.now() - started) / 1000);
console.log(
  `${results.length} trials in ${seconds} s: ${violations} violation(s)${violations ? `; their repositories are kept under ${work}` : ''}`,
);
const notRun = trials.length - results.length;
if (notRun)
  console.log(`${notRun} planned trial(s) not run: the ${budgetMs / 1000} s budget ran out (first: ${trials[results.length]?.id})`);
if (values.report) {
  const report = {
    notRun,
    seed,
    short: values.short,
    seconds,
    trials: results.length,
    violations,
    table: rows,
    byClass: groups,
    results: results.map(({ trial, outcome, state, problems, run }) => ({ id: trial.id, outcome, state, run, problems })),
  };
  writeFileSync(values.report, `${JSON.stringify(report, null, 2)}\n`);
}
if (!violations) rmSync(work, { recursive: true, force: true });
process.exit(violations ? 1 : 0);
