// The one gate every batch path passes (SPEC §3 path safety): refuse anything unsafe, never repair it.
import type { IssueCode } from '../domain/index.js';
import { backslash, controlChar, invalidUnicode } from './rules/characters.js';
import { dotComponent } from './rules/dot-component.js';
import { gitDir, gitmodules } from './rules/git-names.js';
import { componentTooLong, pathTooLong } from './rules/length.js';
import type { PathRule, PathSubject } from './rules/path-rule.js';
import { absolutePath, argvInjection, emptyPath, pathspecMagic } from './rules/prefix.js';
import { traversal } from './rules/traversal.js';

export type PathCheck =
  | { ok: true; path: string }
  | { ok: false; code: IssueCode; message: string; hint: string };

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
  const subject: PathSubject = { raw, path, components: path.split('/') };
  for (const rule of PATH_RULES) {
    const refusal = rule(subject);
    if (refusal) return { ok: false, ...refusal };
  }
  return { ok: true, path };
}
