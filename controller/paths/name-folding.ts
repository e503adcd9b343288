// Spellings that file systems treat as one name: macOS ignores invisible code points and case, Windows
// drops trailing dots and spaces. Every comparison that guards a path goes through here.

/**
 * Default-ignorable code points plus the ones HFS+/APFS skip when comparing names (git's
 * `is_hfs_dotgit` list): `.g\u200Cit` opens `.git` on a Mac (CVE-2014-9390).
 */
const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\u00AD\u034F\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFE00-\uFE0F\uFEFF]/gu;

export function stripIgnorables(text: string): string {
  return isAscii(text) ? text : text.replace(IGNORABLE, '');
}

/**
 * ASCII text has no invisible code points and is its own NFC and NFKC, so every folding below is
 * plain lower-casing for it. Nearly all paths are ASCII; the Unicode way cost ~5 µs a path component.
 */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** What a layer that applies NFKC and drops invisible code points makes of `text` (`．git` is `.git`). */
export function visibleCompat(text: string): string {
  return isAscii(text) ? text : stripIgnorables(stripIgnorables(text).normalize('NFKC'));
}

/** Windows opens `.git. .` as `.git`. A loop, not `/[. ]+$/`, which backtracks quadratically. */
export function stripWindowsTrailing(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '.' || text[end - 1] === ' ')) end -= 1;
  return text.slice(0, end);
}

/**
 * Approximates Unicode full case folding: upper- then lower-casing maps `ß`→`ss` and `ς`→`σ` as
 * folding does. It over-merges a few letters (dotless `ı` with `i`), which only makes checks stricter.
 */
export function foldCase(text: string): string {
  return text.toUpperCase().toLowerCase();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const TRAILING_DOT_OR_SPACE = /[. ](?:\/|$)/;

/**
 * The name a case-insensitive, normalisation-insensitive file system sees: NFC (APFS and HFS+
 * compare canonically equivalent names as equal), invisible code points removed, case folded, and
 * Windows' trailing dots and spaces dropped (unless that leaves nothing, e.g. `...`).
 */
export function fsFoldPath(path: string): string {
  // Printable ASCII has no invisible code points, is its own NFC and folds by lower-casing: most
  // paths are such, and checking 10,000 of them the long way cost 20 ms.
  if (PRINTABLE_ASCII.test(path) && !TRAILING_DOT_OR_SPACE.test(path)) return path.toLowerCase();
  return path
    .split('/')
    .map((component) => {
      const folded = stripIgnorables(foldCase(component.normalize('NFC')).normalize('NFC'));
      const trimmed = stripWindowsTrailing(folded);
      return trimmed === '' ? folded : trimmed;
    })
    .join('/');
}
