// The canonical fault-injection scenario (docs/reliability.md#the-scenario): a 200-file repository
// with a user's unstaged, staged and untracked work beside it, and one atomic batch of 31 operations
// of every type. The template is made once; every trial runs in a fresh copy of it.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { CLI, REAL_GIT, baseEnv } from './env.mjs';

export const BATCH_TITLE = 'fault sweep batch';

const git = (dir, ...args) => execFileSync(REAL_GIT, args, { cwd: dir, env: baseEnv(), encoding: 'utf8' });

function put(dir, path, content, mode = 0o644) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
  chmodSync(join(dir, path), mode);
}

/** 200 tracked files in nested directories, a few executable, so modes and directories matter. */
function seedFiles(dir) {
  for (let i = 0; i < 200; i++) {
    const folder = ['src', 'src/lib', 'docs', 'recipes', 'tmp', 'old'][i % 6];
    const ext = folder === 'tmp' ? 'log' : folder === 'recipes' ? 'toml' : 'txt';
    put(dir, `${folder}/f${i}.${ext}`, `file ${i}\nversion = "1.0.0"\n${'x'.repeat(i * 7)}\n`, i % 10 === 3 ? 0o755 : 0o644);
  }
  for (let i = 0; i < 3; i++) put(dir, `lonely/only${i}.txt`, `only ${i}\n`); // deleted whole: the dir goes
  put(dir, 'templates/base.toml', 'name = "template"\nversion = "1.0.0"\n');
  put(dir, 'bin/tool.sh', '#!/bin/sh\necho 1.0.0\n', 0o755);
}

/** The user's own work, beside the batch and on none of its paths: it must survive every trial. */
export const USER_WORK = {
  unstaged: 'docs/f2.txt',
  staged: 'src/f6.txt',
  untracked: 'notes/todo.txt',
};

function addUserWork(dir) {
  put(dir, USER_WORK.staged, 'staged by the user\n');
  git(dir, 'add', USER_WORK.staged);
  put(dir, USER_WORK.unstaged, 'unstaged edit by the user\n');
  put(dir, USER_WORK.untracked, 'untracked by the user\n');
}

/** 31 operations, every type, ~70 steps once the globs expand. atomic: one failure undoes all. */
export function canonicalBatch() {
  const ops = [];
  for (let i = 0; i < 6; i++) ops.push({ type: 'write', target: `gen/new${i}/w${i}.txt`, content: `new ${i}\n`.repeat(50 + i) });
  ops.push({ type: 'write', target: 'src/f0.txt', content: 'rewritten whole\n' });
  ops.push({ type: 'write', target: 'bin/run.sh', content: '#!/bin/sh\necho run\n', mode: '100755' });
  ops.push({ type: 'write', target: 'src/lib/f1.txt', content: 'now executable\n', mode: '100755' });
  for (let i = 0; i < 4; i++) ops.push({ type: 'copy', source: `docs/f${8 + i * 6}.txt`, target: `copies/c${i}.txt` });
  ops.push({ type: 'copy', source: 'templates/base.toml', target: 'recipes/from-template.toml' });
  for (let i = 0; i < 5; i++) ops.push({ type: 'move', source: `old/f${5 + i * 6}.txt`, target: `moved/deep/m${i}.txt` });
  for (let i = 0; i < 3; i++) ops.push({ type: 'rename', source: `src/lib/f${7 + i * 6}.txt`, target: `src/lib/renamed${i}.txt` });
  ops.push({ type: 'delete', target: 'tmp/*.log' });
  ops.push({ type: 'delete', target: 'lonely/*' });
  ops.push({ type: 'delete', target: 'src/f12.txt' });
  ops.push({ type: 'delete', target: 'src/f18.txt' });
  ops.push({ type: 'replace', target: 'recipes/*.toml', find: '1.0.0', replace: '1.0.1' });
  ops.push({ type: 'replace', target: 'bin/tool.sh', find: '1.0.0', replace: '2.0.0' });
  ops.push({ type: 'replace', target: 'src/f24.txt', find: 'version', replace: 'release' });
  ops.push({ type: 'replace', target: 'docs/f14.txt', find: 'file', replace: 'document' });
  return { title: BATCH_TITLE, requested_by: 'fault-sweep', options: { atomic: true }, operations: ops };
}

/** The small batch every trial ends with: the repository must still take a batch. */
export function nextBatch() {
  return { title: 'next batch', requested_by: 'fault-sweep', operations: [{ type: 'write', target: 'after/next.txt', content: 'next\n' }] };
}

/** Makes the template repository in `dir`: files committed, control file by `batchctl init`, user work. */
export function makeTemplate(dir) {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  seedFiles(dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial 200 files');
  execFileSync(process.execPath, [CLI, 'init', '--repo', dir, '--no-push'], { env: baseEnv(), stdio: 'pipe' });
  addUserWork(dir);
}

/** A fresh trial repository: a recursive copy keeps modes and the index as they are. */
export function copyTemplate(template, dir) {
  cpSync(template, dir, { recursive: true, preserveTimestamps: true });
}
