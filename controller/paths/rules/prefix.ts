// Rules about how a path begins: empty, rooted outside the repository, or read as an option or pathspec.
import { ISSUE } from '../../domain/index.js';
import { quote, RELATIVE_HINT, type PathRule } from './path-rule.js';

/** `C:`, `c:/x`, `C:\x` and the drive-relative `C:foo`. */
const DRIVE_LETTER = /^[A-Za-z]:/;

export const emptyPath: PathRule = ({ raw }) => {
  if (raw !== '' && raw !== '/') return undefined;
  return {
    code: ISSUE.pathEmpty,
    message: raw === '' ? 'path is empty' : 'path "/" names the repository root, not a file',
    hint: `name a file: ${RELATIVE_HINT}`,
  };
};

function absolute(raw: string, why: string): ReturnType<PathRule> {
  return { code: ISSUE.pathAbsolute, message: `path ${quote(raw)} is absolute (${why})`, hint: RELATIVE_HINT };
}

/**
 * Only ONE leading `/` means the repository root (docs/batch-format.md#the-batch-document). `//x` is a UNC or network path on
 * Windows and Cygwin, so it is refused rather than guessed at.
 */
export const absolutePath: PathRule = ({ raw, path }) => {
  if (raw.startsWith('//') || raw.startsWith('\\\\')) return absolute(raw, 'UNC or network path');
  if (path.startsWith('\\')) return absolute(raw, 'rooted at the current Windows drive');
  if (DRIVE_LETTER.test(path)) return absolute(raw, 'Windows drive letter');
  // Shells expand any leading `~` (`~`, `~/x`, `~user/x`), so no first component may start with it.
  if (path.startsWith('~')) return absolute(raw, 'home directory');
  return undefined;
};

/** git reads a leading `:` as pathspec magic: `:/` is the whole tree, `:!x` everything but x. */
export const pathspecMagic: PathRule = ({ raw, path }) => {
  if (!path.startsWith(':')) return undefined;
  return {
    code: ISSUE.pathPathspecMagic,
    message: `path ${quote(raw)} starts with ":", which git reads as pathspec magic`,
    hint: 'rename the file so its first character is not ":"',
  };
};

/** A leading `-` turns a path into an option for git or any tool it reaches (`--exec=…`). */
export const argvInjection: PathRule = ({ raw, path }) => {
  if (!path.startsWith('-')) return undefined;
  return {
    code: ISSUE.pathArgvInjection,
    message: `path ${quote(raw)} starts with "-", which a command reads as an option`,
    hint: 'rename the file so its first character is not "-", or place it in a directory (e.g. files/-x)',
  };
};
