// `.git` and `.gitmodules` in every spelling a file system folds to them: a checkout that writes
// `.GIT/hooks/x` or `.g\u200Cit/config` on macOS or Windows runs code (CVE-2014-9390, CVE-2019-1352).
import { ISSUE, type IssueCode } from '../../domain/index.js';
import { foldCase, isAscii, stripWindowsTrailing, visibleCompat } from '../name-folding.js';
import { percentDecodings } from './percent-decode.js';
import { quote, type PathRule } from './path-rule.js';

/**
 * NFKC (`．git`), invisible code points (HFS+), case, everything from the first `:` (an NTFS stream:
 * `.git::$INDEX_ALLOCATION` is the directory), then Windows' trailing dots and spaces.
 */
export function gitNameKey(component: string): string {
  const folded = isAscii(component) ? component.toLowerCase() : foldCase(visibleCompat(component)).normalize('NFKC');
  const colon = folded.indexOf(':');
  return stripWindowsTrailing(colon === -1 ? folded : folded.slice(0, colon));
}

/** git's own checks (`is_ntfs_dotgit`): `git~1` is the 8.3 short name of `.git`. */
export function isGitDirName(component: string): boolean {
  const key = gitNameKey(component);
  return key === '.git' || key === 'git~1';
}

/** git's `is_ntfs_dotgitmodules`: `gitmod~1`…`~4`, then the hashed short names `gi7eba~1`…`~9`. */
export function isGitmodulesName(component: string): boolean {
  const key = gitNameKey(component);
  return key === '.gitmodules' || /^gitmod~[1-4]$/.test(key) || /^gi7eba~[1-9]$/.test(key);
}

/** Percent-decoded spellings count too: the next tool in line may decode `%2egit`. */
function spellings(component: string): string[] {
  return [component, ...percentDecodings(component).forms];
}

function nameRule(test: (name: string) => boolean, code: IssueCode, what: string, hint: string): PathRule {
  return ({ components }) => {
    const found = components.find((component) => spellings(component).some(test));
    if (found === undefined) return undefined;
    return { code, message: `path component ${quote(found)} names ${what}`, hint };
  };
}

export const gitDir = nameRule(
  isGitDirName,
  ISSUE.pathGitDir,
  "git's own directory (.git)",
  'batches cannot touch .git in any spelling; choose another directory name',
);

export const gitmodules = nameRule(
  isGitmodulesName,
  ISSUE.pathGitmodules,
  'the submodule file (.gitmodules)',
  'batches cannot write .gitmodules; change submodules with git directly',
);
