// The invariants a trial must keep once `batchctl recover` ran (docs/reliability.md#what-is-checked).
// The repository is either exactly the pre-batch state (a failure control commit allowed) or exactly
// the post-batch state, and nothing else is left: no missing object, lock, temp file or open row.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { REAL_GIT, baseEnv } from './env.mjs';
import { BATCH_TITLE, USER_WORK } from './scenario.mjs';
import { differing, gitOut, indexMap, parentOf, snapshot } from './snapshot.mjs';

const CONTROL = 'batch-control.json';
const FINAL = new Set(['completed', 'failed', 'cancelled', 'refused']);
const BATCH_ID = /b-\d{8}-\d{6}-[a-z0-9]+/g;

/** Refs with commit ids named by role and batch ids replaced, so two runs' refs compare equal. */
function normalRefs(refs, roles) {
  const out = {};
  for (const [name, value] of Object.entries(refs)) {
    let v = value;
    for (const [role, id] of Object.entries(roles)) if (id) v = v.replaceAll(id, role);
    out[name.replace(BATCH_ID, '<id>')] = v;
  }
  return out;
}

const without = (map, key) => Object.fromEntries(Object.entries(map).filter(([k]) => k !== key));

/** The expected snapshot's differences from the actual one, aspect by aspect. */
function compare({ actual, expected, roles, expectedRoles, looseControl }) {
  const problems = [];
  const strip = (m) => (looseControl ? without(m, CONTROL) : m);
  const refs = differing(normalRefs(actual.refs, roles), normalRefs(expected.refs, expectedRoles));
  if (refs.length) problems.push({ check: 'refs', paths: refs });
  const index = differing(strip(indexMap(actual.index)), strip(indexMap(expected.index)));
  if (index.length) problems.push({ check: 'index', paths: index });
  const files = differing(strip(actual.files), strip(expected.files));
  if (files.length) problems.push({ check: 'files', paths: files });
  const dirs = differing(Object.fromEntries(actual.dirs.map((d) => [d, 1])), Object.fromEntries(expected.dirs.map((d) => [d, 1])));
  if (dirs.length) problems.push({ check: 'dirs', paths: dirs });
  if (actual.status !== expected.status) problems.push({ check: 'status', detail: actual.status.trim().split('\n').slice(0, 8) });
  return problems;
}

/**
 * Which state HEAD claims: 'post' when it is the batch's commit (the post tree over the control
 * commit over the pre HEAD), 'pre' when it is the pre HEAD or one control-file-only commit on it.
 */
function headState(dir, actual, { pre, post }) {
  if (actual.head === pre.head) return 'pre';
  const parent = actual.head && parentOf(dir, actual.head);
  if (actual.tree === post.tree && parent && parentOf(dir, parent) === pre.head) return 'post';
  const changed = parent === pre.head ? gitOut(dir, 'diff', '--name-only', pre.head, actual.head)?.trim() : null;
  const message = gitOut(dir, 'log', '-1', '--format=%B', actual.head ?? 'HEAD') ?? '';
  if (changed === CONTROL && !message.includes('Batch-Id:')) return 'pre';
  return null;
}

function leftovers(dir) {
  const problems = [];
  const locks = [];
  const visit = (rel) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = `${rel}/${name}`;
      if (name.endsWith('.lock')) locks.push(path);
      else if (statSync(join(dir, path)).isDirectory() && name !== 'objects') visit(path);
    }
  };
  visit('.git');
  if (locks.length) problems.push({ check: 'lock-left', paths: locks });
  const own = existsSync(join(dir, '.git/batchctl')) ? readdirSync(join(dir, '.git/batchctl')) : [];
  // The database, the failures waiting for a control commit (docs/control-file.md#a-failure-not-yet-recorded)
  // and the settings audit's cache (docs/control-file.md#other-writers); a damaged journal kept for a human.
  const extra = own.filter((n) => !/^(state\.db(-wal|-shm)?|pending-failures\.json|settings-audit\.json)$/.test(n));
  if (extra.length) problems.push({ check: 'batchctl-leftover', paths: extra.map((n) => `.git/batchctl/${n}`) });
  return problems;
}

function fsck(dir) {
  try {
    execFileSync(REAL_GIT, ['fsck', '--no-dangling', '--no-progress'], { cwd: dir, env: baseEnv(), stdio: 'pipe' });
    return [];
  } catch (error) {
    const out = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n').slice(0, 4);
    return [{ check: 'fsck', detail: out }];
  }
}

/** SQLite's own check, and the batch's row: final, and completed exactly when git says it landed. */
function database(dir, state) {
  const file = join(dir, '.git/batchctl/state.db');
  if (!existsSync(file)) return state === 'post' ? [{ check: 'row', detail: 'no state.db, batch landed' }] : [];
  let db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return [{ check: 'db-integrity', detail: String(integrity) }];
    const row = db.prepare('SELECT batch_id, status FROM batch_operations WHERE title = ? ORDER BY id DESC LIMIT 1').get(BATCH_TITLE);
    if (!row) return state === 'post' ? [{ check: 'row', detail: 'no row for a batch that landed' }] : [];
    if (!FINAL.has(row.status)) return [{ check: 'row-not-final', detail: `${row.batch_id} ${row.status}` }];
    if ((row.status === 'completed') !== (state === 'post'))
      return [{ check: 'row-vs-git', detail: `row ${row.status}, git ${state ?? 'neither'}` }];
    return [];
  } catch (error) {
    return [{ check: 'db-integrity', detail: String(error.message ?? error) }];
  } finally {
    db?.close();
  }
}

/** The user's own work, named separately so a finding says so plainly. */
function userWork(actual, pre) {
  const lost = Object.values(USER_WORK).filter((path) => actual.files[path] !== pre.files[path]);
  if (indexMap(actual.index)[USER_WORK.staged] !== indexMap(pre.index)[USER_WORK.staged]) lost.push(`${USER_WORK.staged} (index)`);
  return lost.length ? [{ check: 'user-work', paths: lost }] : [];
}

/**
 * Checks the recovered repository in `dir` against the clean runs' snapshots `pre` and `post`.
 * `run` is how the faulted run ended ({ code, signal, timedOut }): a run that exited on its own must
 * have said the truth (exit 0 exactly when the batch landed).
 */
export function checkTrial({ dir, pre, post, run, recover }) {
  const actual = snapshot(dir);
  const state = headState(dir, actual, { pre, post });
  const problems = [];
  if (recover.code !== 0) problems.push({ check: 'recover-exit', detail: `exit ${recover.code}: ${recover.stderr.trim().slice(0, 300)}` });
  if (state === null) problems.push({ check: 'head', detail: `HEAD ${actual.head} is neither the pre- nor the post-batch commit` });
  else {
    const roles = { HEAD: actual.head, PRE: pre.head };
    const expected = state === 'pre' ? pre : post;
    const expectedRoles = state === 'pre' ? { HEAD: pre.head } : { HEAD: post.head, PRE: pre.head };
    problems.push(...compare({ actual, expected, roles, expectedRoles, looseControl: state === 'pre' }));
  }
  problems.push(...userWork(actual, pre), ...fsck(dir), ...leftovers(dir), ...database(dir, state));
  if (run.code !== null && !run.timedOut && (run.code === 0) !== (state === 'post'))
    problems.push({
      check: 'run-exit-vs-git',
      detail: `run exited ${run.code}, git ${state ?? 'neither'}: ${run.stderr.trim().slice(0, 300)}`,
    });
  return { state, problems, head: actual.head };
}
