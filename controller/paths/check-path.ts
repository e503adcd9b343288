// The one gate every batch path passes (docs/batch-format.md#what-validation-refuses path safety): refuse anything unsafe, never repair it.
import { HARD_LIMITS, type IssueCode } from '../domain/index.js';
import { backslash, controlChar, invalidUnicode } from './rules/characters.js';
import { dotComponent } from './rules/dot-component.js';
import { gitDir, gitmodules } from './rules/git-names.js';
import { componentTooLong, pathTooLong } from './rules/length.js';
import type { PathRule, PathSubject } from './rules/path-rule.js';
import { absolutePath, argvInjection, emptyPath, pathspecMagic } from './rules/prefix.js';
import { traversal } from './rules/traversal.js';

export type PathCheck = { ok: true; path: string } | { ok: false; code: IssueCode; message: string; hint: string };

/**
 * First refusal wins, so the order is the contract: whole-string rules before per-component ones
 * (a backslash is reported as such, not as a strange name), the cheap length bound before the
 * decoding rules, and traversal and `.git` before the milder dot-component and length complaints.
 */
const PATH_RULES: readonly PathRule[] = [
  emptyPath,
  invalidUnicode,
  controlChar,
  pathTooLong,
  absolutePath,
  backslash,
  pathspecMagic,
  argvInjection,
  traversal,
  gitDir,
  gitmodules,
  dotComponent,
  componentTooLong,
];

/**
 * Checks a batch path or glob pattern. Glob characters (`*?[]{}!`) are ordinary name characters here;
 * only the rules above apply. A single leading `/` means the repository root and is removed.
 *
 * @example
 * checkPath('/recipes/a.toml') // { ok: true, path: 'recipes/a.toml' }
 * checkPath('a/../b')          // { ok: false, code: 'PATH_TRAVERSAL', … }
 */
export function checkPath(raw: string): PathCheck {
  const path = raw.startsWith('/') ? raw.slice(1) : raw;
  return isPlainPath(path) ? { ok: true, path } : checkPathByRules(raw, path);
}

/**
 * Components of letters, digits, `.`, `_` and `-` that start with a letter, digit or `_`: nothing any
 * rule refuses can be spelt so (no `.`/`..`, no `.git` or `git~1`, no `%`, `:`, `~`, `\`, spaces or
 * controls; a leading `-` or `/` is not a letter), so only the length limits remain to check. Most
 * paths are such, and the rules cost ~10 µs a path (checked equal by a property test).
 */
const PLAIN_PATH = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;

function isPlainPath(path: string): boolean {
  if (path.length > HARD_LIMITS.maxPathBytes || !PLAIN_PATH.test(path)) return false;
  for (let start = 0, end = path.indexOf('/'); ; start = end + 1, end = path.indexOf('/', start)) {
    if ((end === -1 ? path.length : end) - start > HARD_LIMITS.maxComponentBytes) return false;
    if (end === -1) return true;
  }
}

/** Every rule, in order (the whole check for any path that is not plain). */
export function checkPathByRules(raw: string, path: string): PathCheck {
  const subject: PathSubject = { raw, path, components: path.split('/') };
  for (const rule of PATH_RULES) {
    const refusal = rule(subject);
    if (refusal) return { ok: false, ...refusal };
  }
  return { ok: true, path };
}
