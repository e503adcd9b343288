// Tracked paths by collision key, so a new path can be checked against files already in the repository
// (`recipes/b/Bun.toml` beside a tracked `recipes/b/bun.toml` is one file on macOS and Windows).
import { collisionKey } from './collision-key.js';

/**
 * collisionKey of every path and of every directory on the way to it → the spellings git holds for it
 * (more than one when the repository already has a collision; each of them is then fine to name).
 *
 * @example spellingIndex(['Docs/a.md']).get('docs') // Set { 'Docs' }
 */
export function spellingIndex(paths: Iterable<string>): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  // A repository's files share their directories, and folding is not free: one fold per directory spelling.
  const dirKeys = new Map<string, string>();
  const add = (key: string, spelling: string): void => {
    const spellings = index.get(key);
    if (spellings) spellings.add(spelling);
    else index.set(key, new Set([spelling]));
  };
  for (const path of paths) {
    for (let end = path.indexOf('/'); end !== -1; end = path.indexOf('/', end + 1)) {
      const dir = path.slice(0, end);
      if (dirKeys.has(dir)) continue;
      const key = collisionKey(dir);
      dirKeys.set(dir, key);
      add(key, dir);
    }
    add(collisionKey(path), path);
  }
  return index;
}
