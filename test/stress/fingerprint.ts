// "Nothing on disk changed", cheaply enough to ask after every fuzzed request: a digest of every
// file of the work tree and of git's state that a change would touch (HEAD, refs, packed refs, the
// index), read in-process. TestRepo.snapshot() says the same through git, at ~10 git runs' cost.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

function walk(root: string, rel: string, skip: (rel: string) => boolean, into: ReturnType<typeof createHash>): void {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    if (skip(path)) continue;
    const stat = lstatSync(join(root, path));
    if (stat.isDirectory()) walk(root, path, skip, into);
    else {
      into.update(`${path}\0${stat.mode}\0`);
      into.update(stat.isSymbolicLink() ? readlinkSync(join(root, path)) : readFileSync(join(root, path)));
      into.update('\0');
    }
  }
}

export function diskFingerprint(dir: string): string {
  const hash = createHash('sha256');
  walk(dir, '', (rel) => rel === '.git', hash);
  const gitDir = join(dir, '.git');
  for (const file of ['HEAD', 'packed-refs', 'index']) {
    if (existsSync(join(gitDir, file))) hash.update(`${file}\0`).update(readFileSync(join(gitDir, file)));
  }
  // batchctl's retry content refs are its bookkeeping (as its database is), not a change to the repository
  walk(gitDir, 'refs', (rel) => rel.startsWith('refs/batchctl/retry'), hash);
  return hash.digest('hex');
}
