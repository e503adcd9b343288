// Blobs streamed into one pack while a batch is still applying: `git fast-import` compresses each
// file's bytes on the other core as the operations write them, so the commit step only asks for the
// ids (`get-mark`) instead of packing 10,000 files after the fact (SPEC §12: cost with the batch).
import type { GitRunner, GitStream } from './runner.js';

/** Writes to the pipe in chunks of about this size: one system call per blob would be 10,000. */
const FLUSH_BYTES = 1 << 20;

export interface BlobPack {
  /** Queue bytes as a blob; returns the mark to ask its id with. */
  add(bytes: Buffer): number;
  /** The ids of these marks, once everything added is in the pack (ends the pack). */
  finish(marks: readonly number[]): Promise<string[]>;
  /**
   * Nothing added is needed (a failed, rolled-back or cancelled batch): the pack is still ended
   * properly, as unreachable objects that `git gc` drops. Killing fast-import instead would leave a
   * `tmp_pack_*` file, and closing its input early a crash report in .git.
   */
  abort(): Promise<void>;
}

/**
 * Started on the first blob. `--depth=0`: no delta search (a later `git gc` finds the deltas), which
 * is most of fast-import's time on small files.
 * @example const pack = openBlobPack(runner); const mark = pack.add(bytes); const [oid] = await pack.finish([mark]);
 */
export function openBlobPack(git: GitRunner): BlobPack {
  let child: GitStream | null = null;
  let marks = 0;
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
      if (ended) throw new Error('blob pack already finished');
      child ??= git.stream(['fast-import', '--quiet', '--done', '--depth=0']);
      marks++;
      const header = Buffer.from(`blob\nmark :${marks}\ndata ${bytes.length}\n`);
      pending.push(header, bytes, NEWLINE);
      pendingBytes += header.length + bytes.length + 1;
      if (pendingBytes >= FLUSH_BYTES) flush();
      return marks;
    },
    async finish(wanted) {
      if (ended) throw new Error('blob pack already finished');
      ended = true;
      if (!child) {
        if (wanted.length > 0) throw new Error('marks asked of an empty blob pack');
        return [];
      }
      flush();
      const { stdout } = await child.end(`${wanted.map((mark) => `get-mark :${mark}\n`).join('')}done\n`);
      const oids = wanted.length === 0 ? [] : stdout.toString('utf8').trim().split('\n');
      if (oids.length !== wanted.length) throw new Error(`fast-import returned ${oids.length} ids for ${wanted.length} marks`);
      return oids;
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
