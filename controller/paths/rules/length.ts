// Length limits: git and every file system cap a path and a name, in bytes, not characters.
import { HARD_LIMITS, ISSUE } from '../../domain/index.js';
import { quote, type PathRule } from './path-rule.js';

/** UTF-8 length without allocating; runs after the Unicode rule, so every surrogate is paired. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Runs before the per-component rules so they never work on more than maxPathBytes. */
export const pathTooLong: PathRule = ({ raw, path }) => {
  const bytes = utf8Length(path);
  if (bytes <= HARD_LIMITS.maxPathBytes) return undefined;
  return {
    code: ISSUE.pathTooLong,
    message: `path ${quote(raw)} is ${bytes} bytes long; the limit is ${HARD_LIMITS.maxPathBytes}`,
    hint: 'shorten the path',
  };
};

export const componentTooLong: PathRule = ({ components }) => {
  for (const component of components) {
    const bytes = utf8Length(component);
    if (bytes <= HARD_LIMITS.maxComponentBytes) continue;
    return {
      code: ISSUE.pathTooLong,
      message: `path component ${quote(component)} is ${bytes} bytes long; ` + `the limit is ${HARD_LIMITS.maxComponentBytes}`,
      hint: 'shorten the file or directory name',
    };
  }
  return undefined;
};
