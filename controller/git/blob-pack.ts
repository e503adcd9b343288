// Blobs streamed into one pack while a batch is still applying: `git fast-import` compresses each
// file's bytes on the other core as the operations write them (SPEC §12: cost with the batch). The
// blob ids are computed here as the bytes arrive, so the commit's trees are built while fast-import
// is still writing; `seal` ends the pack and proves git stored the same ids before any ref moves.
import { createHash } from 'node:crypto';

import type { ObjectFormat } from './repository.js';
import type { GitRunner, GitStream } from './runner.js';

/** Writes to the pipe in chunks of about this size: one system call per blob would be 10,000. */
const FLUSH_BYTES = 1 << 20;

export interface BlobPack {
  /** Queue bytes as a blob; returns its id (git's, computed here: `sha1("blob <size>\0" + bytes)`). */
  add(bytes: Buffer): string;
  /**
   * Ends the pack: resolves once every blob added is stored, after checking that git gave each the
   * id `add` returned. Trees may name the blobs before; refs must not move before this resolves.
   */
  seal(): Promise<void>;
  /**
   * Nothing added is needed (a failed, rolled-back or cancelled batch): the pack is still ended
   * properly, as unreachable objects that `git gc` drops. Killing fast-import instead would leave a
   * `tmp_pack_*` file, and closing its input early a crash report in .git.
   */
  abort(): Promise<void>;
}

/** A blob's id as git computes it for the repository's object format. */
export function blobId(bytes: Buffer, format: ObjectFormat): string {
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * Started on the first blob. `--depth=0`: no delta search (a later `git gc` finds the deltas), which
 * is most of fast-import's time on small files.
 * @example const pack = openBlobPack(runner, 'sha1'); const oid = pack.add(bytes); await pack.seal();
 */
export function openBlobPack(git: GitRunner, format: ObjectFormat): BlobPack {
  let child: GitStream | null = null;
  const ids: string[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let ended = false;
  const flush = (): void => {
    if (pending.length === 0 || !child) return;
    child.write(pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  return {
    add(bytes) {
      if (ended) throw new Error('blob pack already sealed');
      child ??= git.stream(['fast-import', '--quiet', '--done', '--depth=0']);
      const oid = blobId(bytes, format);
      ids.push(oid);
      const header = Buffer.from(`blob\nmark :${ids.length}\ndata ${bytes.length}\n`);
      pending.push(header, bytes, NEWLINE);
      pendingBytes += header.length + bytes.length + 1;
      if (pendingBytes >= FLUSH_BYTES) flush();
      return oid;
    },
    async seal() {
      if (ended) throw new Error('blob pack already sealed');
      ended = true;
      if (!child) return;
      flush();
      const asks = ids.map((_, i) => `get-mark :${i + 1}\n`).join('');
      const { stdout } = await child.end(`${asks}done\n`);
      const stored = stdout.toString('utf8').trim().split('\n');
      const wrong = ids.findIndex((oid, i) => stored[i] !== oid);
      // A tree that names a blob git did not store must never be committed.
      if (stored.length !== ids.length || wrong !== -1) {
        throw new Error(`fast-import stored blob ${stored[wrong] ?? '(none)'} where ${ids[wrong] ?? '?'} was computed (mark ${wrong + 1} of ${ids.length})`);
      }
    },
    async abort() {
      if (ended || !child) return;
      ended = true;
      flush();
      await child.end('done\n').catch(() => undefined); // nothing depends on it any more
    },
  };
}

const NEWLINE = Buffer.from('\n');
