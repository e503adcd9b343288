// What "the state of a repository" means to the fault sweep (docs/reliability.md#what-is-checked):
// HEAD, refs, index, every file's bytes and mode, the directories and `git status`. Everything is
// read with the real git, never through batchctl.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

import { REAL_GIT, baseEnv } from './env.mjs';

/** git's output, or null when git fails (a broken repository is a finding, not a crash of the sweep). */
export function gitOut(dir, ...args) {
  try {
    return execFileSync(REAL_GIT, args, {
      cwd: dir,
      env: baseEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    });
  } catch {
    return null;
  }
}

const digest = (bytes) => createHash('sha1').update(bytes).digest('hex');

/** Every file below `dir` (not .git): path → "mode digest" (a symlink: its target); and every directory. */
function walk(dir) {
  const files = {};
  const dirs = [];
  const visit = (rel) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      if (rel === '' && name === '.git') continue;
      const path = rel === '' ? name : `${rel}/${name}`;
      const stat = lstatSync(join(dir, path));
      if (stat.isDirectory()) {
        dirs.push(path);
        visit(path);
      } else if (stat.isSymbolicLink()) files[path] = `link ${readlinkSync(join(dir, path))}`;
      else files[path] = `${(stat.mode & 0o777).toString(8)} ${digest(readFileSync(join(dir, path)))}`;
    }
  };
  visit('');
  return { files, dirs };
}

/** refname → "type object" for every ref; batchctl's retry content is a failed batch's by design. */
function refs(dir) {
  const out = {};
  const format = '--format=%(refname) %(objecttype) %(objectname) %(*objectname)';
  for (const line of (gitOut(dir, 'for-each-ref', format) ?? '').split('\n')) {
    const [name, type, id, peeled] = line.split(' ');
    // A tag is compared by what it points at: its own id holds a timestamp.
    if (name && !name.startsWith('refs/batchctl/retry/')) out[name] = type === 'tag' ? `tag ${peeled}` : `${type} ${id}`;
  }
  return out;
}

export function snapshot(dir) {
  const { files, dirs } = walk(dir);
  return {
    head: gitOut(dir, 'rev-parse', '-q', '--verify', 'HEAD')?.trim() ?? null,
    branch: gitOut(dir, 'symbolic-ref', '-q', 'HEAD')?.trim() ?? null,
    tree: gitOut(dir, 'rev-parse', '-q', '--verify', 'HEAD^{tree}')?.trim() ?? null,
    refs: refs(dir),
    index: gitOut(dir, 'ls-files', '-s') ?? '(git ls-files failed)',
    status: gitOut(dir, 'status', '--porcelain=v1', '--untracked-files=all') ?? '(git status failed)',
    files,
    dirs,
  };
}

/** The first parent of a commit, or null. */
export const parentOf = (dir, commit) => gitOut(dir, 'rev-parse', '-q', '--verify', `${commit}^1`)?.trim() ?? null;

/** Paths whose entry differs between two path→value maps (either side missing counts). */
export function differing(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}

/** `git ls-files -s` as path → "mode blob stage". */
export function indexMap(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out[line.slice(tab + 1)] = line.slice(0, tab);
  }
  return out;
}
