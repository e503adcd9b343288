// One `git cat-file --batch` process per repository handle, asked one name per line: single-object
// reads without a process each. git answers in the order asked, so requests queue here and each
// answer settles the oldest. git resolves the name itself, so every repository layout reads right:
// SHA-256 ids, a linked worktree's own HEAD over the common directory's objects and refs, packed
// refs, packs written after the reader started (docs/benchmarks.md, "Single-object reads").
import type { GitError } from './git-error.js';
import type { GitPipe, GitRunner } from './runner.js';

export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

export interface ObjectReader {
  /** The object a name (an id, a ref, HEAD) resolves to, as it is (a tag is not peeled); null when none. */
  read(name: string): Promise<GitObject | null>;
  /** Ends the process (once the reads asked are answered); a read after this fails. */
  close(): Promise<void>;
}

interface Pending {
  name: string;
  resolve(object: GitObject | null): void;
  reject(error: Error): void;
}

/** A name git would read as two (whitespace ends it) or that cannot be a ref or an id: never sent. */
const UNSENDABLE = /[\s\x00-\x1f\x7f]/;

/**
 * Started on the first read, so a command that never reads pays nothing. A name with no object
 * (`<name> missing`) is an answer like any other and leaves the stream in step.
 * @example const reader = openObjectReader(runner); const head = await reader.read('HEAD'); await reader.close();
 */
export function openObjectReader(git: GitRunner): ObjectReader {
  let pipe: GitPipe | null = null;
  let closed = false;
  const queue: Pending[] = [];
  let chunks: Buffer[] = [];
  let buffered = 0;
  /** bytes the oldest answer needs in all, once its header is in (0: not known yet) */
  let needed = 0;

  /** Settles every answer complete in what git has written so far. */
  const drain = (): void => {
    while (queue.length > 0 && buffered > 0) {
      let data = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, buffered);
      chunks = [data];
      const newline = data.indexOf(0x0a);
      if (newline === -1) return;
      const header = data.toString('latin1', 0, newline);
      const [oid = '', type = '', sizeText] = header.split(' ');
      let object: GitObject | null = null;
      let used = newline + 1;
      if (sizeText !== undefined) {
        const size = Number(sizeText);
        needed = used + size + 1;
        if (data.length < needed) return; // the content and its newline are still coming
        object = { oid, type, content: Buffer.from(data.subarray(used, used + size)) };
        used += size + 1;
      }
      needed = 0;
      data = data.subarray(used);
      chunks = data.length > 0 ? [data] : [];
      buffered = data.length;
      const pending = queue.shift() as Pending;
      // "<name> missing"; "<name> ambiguous" (a short id matching several objects) is a caller's bug
      if (object === null && type !== 'missing') pending.reject(new Error(`git cat-file: "${header}" for ${pending.name}`));
      else pending.resolve(object);
    }
    // Idle: nothing to wait for. Closing: held until git exits, so `await close()` always settles.
    if (queue.length === 0 && !closed) pipe?.hold(false);
  };

  /** git is gone (killed, or it failed): every read waiting fails, and the next read starts a new one. */
  const lost = (error: GitError | null): void => {
    pipe = null;
    chunks = [];
    buffered = 0;
    needed = 0;
    for (const pending of queue.splice(0)) pending.reject(error ?? new Error('git cat-file exited before it answered'));
  };

  const start = (): GitPipe =>
    git.pipe(['cat-file', '--batch'], {
      onData(chunk) {
        chunks.push(chunk);
        buffered += chunk.length;
        if (buffered >= needed) drain(); // a large object's chunks are joined once, not once each
      },
      onExit: lost,
    });

  return {
    read(name) {
      if (closed) return Promise.reject(new Error('the object reader is closed'));
      if (name === '' || UNSENDABLE.test(name)) return Promise.reject(new Error(`not an object name: ${JSON.stringify(name)}`));
      return new Promise<GitObject | null>((resolve, reject) => {
        pipe ??= start();
        queue.push({ name, resolve, reject });
        pipe.hold(true);
        pipe.write(`${name}\n`);
      });
    },
    async close() {
      closed = true;
      const ending = pipe;
      if (!ending) return;
      ending.hold(true); // the answers still owed, then the exit
      await ending.end().catch(() => undefined); // an exit that failed was reported to the reads waiting
    },
  };
}
