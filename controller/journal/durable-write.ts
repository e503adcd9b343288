// Atomic, durable file replacement: temp file, fsync, rename, fsync the directory (docs/lifecycle.md#durability-and-concurrency: without
// the directory fsync the rename itself may be lost on power failure).
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writeFileDurably(file: string, data: string | Buffer): Promise<void> {
  // The name crash recovery sweeps (ops/file-system.ts): a run killed here leaves nothing for git to see.
  const temp = join(dirname(file), `.batchctl-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    // A write, fsync or rename that failed leaves no temp file behind (issue 11): the file is as it was.
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(file));
}

export async function removeFileDurably(file: string): Promise<void> {
  await rm(file, { force: true });
  await syncDirectory(dirname(file));
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
