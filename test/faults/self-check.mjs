// The checker checked (docs/reliability.md#what-is-checked): before any trial, the sweep plants each
// kind of damage in a copy of the pre- or post-batch repository and makes sure checkTrial names it.
// A sweep whose checker cannot see a torn file or a left lock would report 0 violations for nothing.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { REAL_GIT, baseEnv } from './env.mjs';
import { checkTrial } from './invariants.mjs';
import { copyTemplate } from './scenario.mjs';

const git = (dir, ...args) => execFileSync(REAL_GIT, args, { cwd: dir, env: baseEnv(), encoding: 'utf8' }).trim();

/** Each case: which clean repository to start from, the damage, and the check that must fire. */
const CASES = [
  { name: 'pre as it is', from: 'pre', damage: () => {}, expect: null },
  { name: 'post as it is', from: 'post', damage: () => {}, expect: null },
  { name: 'a git lock left', from: 'post', damage: (d) => writeFileSync(join(d, '.git/refs/heads/main.lock'), ''), expect: 'lock-left' },
  { name: 'a torn file', from: 'pre', damage: (d) => appendFileSync(join(d, 'src/f0.txt'), 'tail'), expect: 'files' },
  { name: 'a mode changed', from: 'post', damage: (d) => git(d, 'update-index', '--chmod=+x', 'src/f0.txt'), expect: 'index' },
  { name: 'a directory left', from: 'pre', damage: (d) => mkdirSync(join(d, 'gen/new0'), { recursive: true }), expect: 'dirs' },
  {
    name: 'a journal temp left',
    from: 'post',
    damage: (d) => writeFileSync(join(d, '.git/batchctl/journal.json.tmp'), '{}'),
    expect: 'batchctl-leftover',
  },
  {
    name: 'a batch tag left on a failed batch',
    from: 'pre',
    damage: (d) => git(d, 'tag', 'batch/b-20260101-000000-abcdef', 'HEAD'),
    expect: 'refs',
  },
  {
    name: 'a missing object',
    from: 'post',
    damage: (d) => {
      const blob = git(d, 'rev-parse', 'HEAD:bin/run.sh');
      unlinkSync(join(d, '.git/objects', blob.slice(0, 2), blob.slice(2)));
    },
    expect: 'fsck',
  },
  {
    name: 'a row left running',
    from: 'post',
    damage: (d) => {
      const db = new Database(join(d, '.git/batchctl/state.db'));
      db.prepare("UPDATE batch_operations SET status = 'running'").run();
      db.close();
    },
    expect: 'row-not-final',
  },
];

/** Throws when the checker misses planted damage or flags a clean state. */
export function selfCheck({ template, cleanDir, work, pre, post }) {
  const misses = [];
  for (const [i, c] of CASES.entries()) {
    const dir = join(work, `self-check-${i}`);
    copyTemplate(c.from === 'pre' ? template : cleanDir, dir);
    c.damage(dir);
    const run = { code: null, signal: 'SIGKILL', timedOut: false, stderr: '' };
    const { problems } = checkTrial({ dir, pre, post, run, recover: { code: 0, stderr: '' } });
    const checks = problems.map((p) => p.check);
    if (c.expect === null ? checks.length > 0 : !checks.includes(c.expect))
      misses.push(`${c.name}: expected ${c.expect ?? 'no problem'}, got [${checks.join(', ')}]`);
    rmSync(dir, { recursive: true, force: true });
  }
  if (misses.length) throw new Error(`the invariant checker is wrong:\n  ${misses.join('\n  ')}`);
  return CASES.length;
}
