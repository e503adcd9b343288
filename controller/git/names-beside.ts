// The names a new path could collide with: the entries of HEAD's root and of every directory on the
// way to the new paths, from one `ls-tree` of those trees only. A batch adding 50 files to a
// 100,000-file repository reads a few trees, not the whole index (docs/batch-format.md#what-validation-refuses).
import { chunkPaths, splitNul, type GitRunner } from './runner.js';

/**
 * Paths of HEAD's entries in the root and in each of `dirs` (exact spellings, without a trailing
 * slash). A directory that is also listed shows as its own entries rather than its name; every
 * prefix of a returned path is an entry too. An unborn HEAD has no entries.
 */
export async function namesBeside(git: GitRunner, dirs: readonly string[]): Promise<string[]> {
  const head = await git.exec(['rev-parse', '-q', '--verify', 'HEAD^{tree}'], { okExitCodes: [1] });
  if (head.exitCode !== 0) return [];
  const names = new Set<string>();
  const specs = [...new Set(dirs.filter((dir) => dir !== ''))].map((dir) => `${dir}/`);
  for (const chunk of specs.length === 0 ? [[]] : chunkPaths(specs)) {
    const { stdout } = await git.exec(['ls-tree', '-z', '--name-only', 'HEAD', '--', '.', ...chunk]);
    for (const name of splitNul(stdout)) names.add(name);
  }
  return [...names];
}
