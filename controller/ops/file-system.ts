// Work-tree primitives every operation uses. Each leaves a path either as it was or as intended:
// content goes to a temp file in the same directory and is renamed into place (atomic on POSIX).
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readlink, rename, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const TEMP_NAME = /^\.batchctl-[0-9a-f]{12}\.tmp$/;

function tempNameFor(file: string): string {
  return join(dirname(file), `.batchctl-${randomBytes(6).toString('hex')}.tmp`);
}

/** Remove temp files a killed run left next to these paths (crash recovery); returns how many. */
export async function removeTempFiles(root: string, paths: readonly string[]): Promise<number> {
  let removed = 0;
  for (const dir of new Set(paths.map((path) => dirname(path)))) {
    let names: string[];
    try {
      names = await readdir(join(root, dir));
    } catch {
      continue;
    }
    for (const name of names.filter((n) => TEMP_NAME.test(n))) {
      await rm(join(root, dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** Create parent directories; retried by callers because a concurrent prune may remove them. */
async function withParent<T>(file: string, action: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    await mkdir(dirname(file), { recursive: true });
    try {
      return await action();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

export async function atomicWrite(root: string, path: string, data: Buffer, mode: string): Promise<void> {
  const file = join(root, path);
  await withParent(file, async () => {
    const temp = tempNameFor(file);
    try {
      if (mode === '120000') {
        await symlink(data.toString('utf8'), temp);
      } else {
        await writeFile(temp, data, { mode: mode === '100755' ? 0o755 : 0o644 });
        await chmod(temp, mode === '100755' ? 0o755 : 0o644); // umask must not decide the mode git records
      }
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  });
}

/** rename(2): atomic, and replaces an existing target. */
export async function atomicMove(root: string, source: string, target: string): Promise<void> {
  const to = join(root, target);
  await withParent(to, () => rename(join(root, source), to));
  await pruneEmptyParents(root, source);
}

export async function removeFile(root: string, path: string): Promise<void> {
  await rm(join(root, path), { force: true });
  await pruneEmptyParents(root, path);
}

/** git does not track directories: remove the ones a delete or move left empty (best effort). */
export async function pruneEmptyParents(root: string, path: string): Promise<void> {
  let dir = dirname(path);
  while (dir !== '.' && dir !== '') {
    try {
      await rmdir(join(root, dir));
    } catch {
      return; // not empty (or gone): stop climbing
    }
    dir = dirname(dir);
  }
}

/** The git mode of what is on disk now. */
export async function diskMode(root: string, path: string): Promise<string | null> {
  try {
    const stat = await lstat(join(root, path));
    if (stat.isSymbolicLink()) return '120000';
    return stat.mode & 0o111 ? '100755' : '100644';
  } catch {
    return null;
  }
}

export async function readLinkBytes(root: string, path: string): Promise<Buffer> {
  return Buffer.from(await readlink(join(root, path)), 'utf8');
}
