// Characters no batch path may hold: they corrupt git's index, forge log lines, or mean another separator.
import { ISSUE } from '../../domain/index.js';
import { quote, RELATIVE_HINT, type PathRule } from './path-rule.js';

/** With the `u` flag a surrogate range matches only unpaired halves: text that is not Unicode. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** C0, DEL, C1, and the line/paragraph separators that JavaScript and JSON-lines readers split on. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;

export const invalidUnicode: PathRule = ({ raw }) => {
  if (!LONE_SURROGATE.test(raw)) return undefined;
  return {
    code: ISSUE.pathControlChar,
    message: `path ${quote(raw)} is invalid Unicode (an unpaired surrogate)`,
    hint: 'send the path as well-formed UTF-8',
  };
};

export const controlChar: PathRule = ({ raw }) => {
  const found = CONTROL.exec(raw);
  if (!found) return undefined;
  const at = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return {
    code: ISSUE.pathControlChar,
    message: `path ${quote(raw)} contains control character U+${at}`,
    hint: 'remove control characters (NUL, newlines, tabs, DEL, U+0080–U+009F) from the path',
  };
};

/** docs/batch-format.md#the-batch-document: paths are POSIX. On Windows `a\..\b` climbs, so a backslash is never just a name byte. */
export const backslash: PathRule = ({ raw }) => {
  if (!raw.includes('\\')) return undefined;
  return {
    code: ISSUE.pathBackslash,
    message: `path ${quote(raw)} contains a backslash`,
    hint: `separate directories with "/"; ${RELATIVE_HINT}`,
  };
};
