// Two batch paths that are one file on macOS or Windows (`README.md` and `readme.MD`, NFC and NFD
// `é`) would overwrite each other on checkout there, so validation must see them as one.
import { fsFoldPath } from './name-folding.js';

/**
 * NFC, then full case folding approximated by upper- then lower-casing, invisible code points removed,
 * Windows' trailing dots and spaces dropped. NFC rather than NFKC: file systems apply canonical, not
 * compatibility, equivalence, so `x²` and `x2` are two files and must not be reported as one.
 */
export function collisionKey(path: string): string {
  return fsFoldPath(path);
}

/**
 * Pairs `[earlier, later]` of input paths that spell one file, or one directory on the way to it
 * (`Recipes/a.toml` and `recipes/b.toml` put two directories in git that are one on a Mac), differently.
 * Identical spellings are not collisions (ops on one path run in order). Each pair is reported once,
 * in input order.
 *
 * @example
 * findCollisions(['A.txt', 'a.txt', 'b.txt']) // [['A.txt', 'a.txt']]
 */
export function findCollisions(paths: readonly string[]): Array<[string, string]> {
  // folded prefix → the first spelling seen and the input path it came from
  const seen = new Map<string, { spelling: string; path: string }>();
  const pairs: Array<[string, string]> = [];
  const reported = new Set<string>();
  const report = (earlier: string, later: string): void => {
    const id = JSON.stringify([earlier, later]);
    if (reported.has(id)) return;
    reported.add(id);
    pairs.push([earlier, later]);
  };
  for (const path of paths) {
    const spellings = path.split('/');
    const folded = spellings.map(collisionKey);
    for (let depth = 1; depth <= spellings.length; depth += 1) {
      const spelling = spellings.slice(0, depth).join('/');
      const key = folded.slice(0, depth).join('/');
      const first = seen.get(key);
      if (first === undefined) seen.set(key, { spelling, path });
      else if (first.spelling !== spelling) report(first.path, path);
    }
  }
  return pairs;
}
