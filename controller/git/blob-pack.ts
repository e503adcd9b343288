// Blobs streamed into one pack while a batch is still applying: `git fast-import` compresses each
// file's bytes on the other core as the operations write them (docs/lifecycle.md#how-batchctl-drives-git: cost with the batch). The
// blob ids are computed here as the bytes arrive, so the commit's trees are built while fast-import
// is still writing; `seal` ends the pack and proves git stored the ids the commit names.
import { createHash } from 'node:crypto';

import type { ObjectFormat } from './object-format.js';
import type { GitRunner, GitStream } from './runner.js';

/** Writes to the pipe in chunks of about this size: one system call per blob would be 10,000. */
const FLUSH_BYTES = 1 << 20;
/** get-mark requests written to fast-import at a time while sealing. */
const ASKS_PER_WRITE = 4096;
/**
 * Bytes that may wait for fast-import in this process. A batch writes faster than git packs on a
 * slow disk; without a bound, the whole batch's bytes would queue here (docs/benchmarks.md, peak RSS).
 */
const MAX_BACKLOG = 8 << 20;

export interface BlobPack {
  /** Queue bytes as a blob; returns the mark that names it here (its id: `idOf`). */
  add(bytes: Buffer): number;
  /** The blob's id as git computes it (`sha1("blob <size>\0" + bytes)`, or SHA-256), known at once. */
  idOf(mark: number): string;
  /**
   * Ends the pack: resolves once every blob added is stored, after checking that git gave each of
   * `marks` (the blobs the commit names) the id `idOf` gave. Trees may name the blobs before; refs
   * must not move before this resolves. Blobs later overwritten need no check: nothing names them.
   */
  seal(marks: readonly number[]): Promise<void>;
  /** While more than MAX_BACKLOG bytes wait for git: a promise to hold new writes back until it has caught up. */
  backlog(): Promise<void> | null;
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
 * @example const pack = openBlobPack(runner, 'sha1'); const mark = pack.add(bytes); pack.idOf(mark); await pack.seal([mark]);
 */
export function openBlobPack(git: GitRunner, format: ObjectFormat): BlobPack {
  const width = format === 'sha1' ? 20 : 32;
  // Binary ids, one after another by mark: 100,000 ids as hex strings would hold 6 MB more at the
  // batch's memory peak than these 2 MB.
  let digests = Buffer.alloc(width * 1024);
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
  const idOf = (mark: number): string => {
    if (!Number.isInteger(mark) || mark < 1 || mark > marks) throw new Error(`no blob with mark ${mark} in this pack`);
    return digests.toString('hex', (mark - 1) * width, mark * width);
  };
  return {
    add(bytes) {
      if (ended) throw new Error('blob pack already sealed');
      child ??= git.stream(['fast-import', '--quiet', '--done', '--depth=0']);
      const mark = ++marks;
      if (mark * width > digests.length) {
        const grown = Buffer.alloc(digests.length * 2);
        digests.copy(grown);
        digests = grown;
      }
      createHash(format)
        .update(`blob ${bytes.length}\0`)
        .update(bytes)
        .digest()
        .copy(digests, (mark - 1) * width);
      const header = Buffer.from(`blob\nmark :${mark}\ndata ${bytes.length}\n`);
      pending.push(header, bytes, NEWLINE);
      pendingBytes += header.length + bytes.length + 1;
      if (pendingBytes >= FLUSH_BYTES) flush();
      return mark;
    },
    idOf,
    backlog() {
      return child && child.backlog() > MAX_BACKLOG ? child.drained() : null;
    },
    async seal(wanted) {
      if (ended) throw new Error('blob pack already sealed');
      ended = true;
      if (!child) {
        if (wanted.length > 0) throw new Error('marks asked of an empty blob pack');
        return;
      }
      flush();
      for (let at = 0; at < wanted.length; at += ASKS_PER_WRITE) {
        child.write(
          wanted
            .slice(at, at + ASKS_PER_WRITE)
            .map((mark) => `get-mark :${mark}\n`)
            .join(''),
        );
      }
      const { stdout } = await child.end('done\n');
      // One id per line, compared where it lies: no list of 100,000 strings at the memory peak.
      let start = 0;
      for (const [i, mark] of wanted.entries()) {
        const end = stdout.indexOf(0x0a, start);
        const stored = end === -1 ? '(none)' : stdout.toString('latin1', start, end);
        // A tree that names a blob git did not store must never be committed.
        if (stored !== idOf(mark)) {
          throw new Error(
            `fast-import stored blob ${stored} where ${idOf(mark)} was computed (mark ${mark}, ${i + 1} of ${wanted.length} checked)`,
          );
        }
        start = end + 1;
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
