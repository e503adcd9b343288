// Protected paths (docs/batch-format.md#what-validation-refuses, control file `policy.protected_paths`): a batch may not change them, in
// any spelling a case-insensitive or normalising file system would open as the same file.
import picomatch from 'picomatch';

import { foldCase, fsFoldPath, stripIgnorables } from './name-folding.js';

/** `dot: true`: `.github/**` must cover `.github/workflows/x.yml`; `debug` makes a broken pattern throw. */
const PROTECTED_OPTIONS = { dot: true, nocase: true, windows: false, debug: true } as const;

function foldPattern(pattern: string): string {
  return foldCase(stripIgnorables(pattern.normalize('NFC'))).normalize('NFC');
}

/**
 * Builds the protected-path test. Paths are compared folded (NFC, case, invisible code points, and
 * Windows' trailing dots and spaces), so `.GitHub/workflows/x.yml` and `BATCH-CONTROL.json` match.
 * `dir/**` protects `dir` itself too: replacing the directory with a file would remove everything in it.
 * Throws on an invalid pattern: failing open would leave a path unprotected without anyone knowing.
 *
 * @example
 * const isProtected = createProtectedMatcher(['.github/**', 'batch-control.json']);
 * isProtected('.GitHub/workflows/ci.yml') // true
 */
export function createProtectedMatcher(patterns: readonly string[]): (path: string) => boolean {
  const expanded = patterns.flatMap((raw) => {
    const pattern = foldPattern(raw.startsWith('/') ? raw.slice(1) : raw);
    return pattern.endsWith('/**') ? [pattern, pattern.slice(0, -3)] : [pattern];
  });
  if (expanded.length === 0) return () => false;
  const matcher = picomatch(expanded, PROTECTED_OPTIONS);
  return (path) => matcher(fsFoldPath(path.startsWith('/') ? path.slice(1) : path));
}
