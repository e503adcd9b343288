// Sweeping git's *.lock files left by a killed run (index.lock, HEAD.lock, refs/**.lock,
// packed-refs.lock …). Called only after runStillAlive() said no process of that run is left.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Lock files under gitDir older than `startedAt` (ms) or created by that run; returns what it removed. */
export async function sweepStaleGitLocks(gitDir: string): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      // objects/ holds no lock files worth the walk; batchctl/ holds our own (proper-lockfile) lock.
      if (entry.isDirectory() && depth < 8 && entry.name !== 'objects' && entry.name !== 'batchctl') await walk(path, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.lock') && (await stat(path)).isFile()) {
        await rm(path, { force: true });
        removed.push(path);
      }
    }
  };
  await walk(gitDir, 0);
  return removed;
}
