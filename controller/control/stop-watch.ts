// The stop check between operations (docs/lifecycle.md#apply): one stat(2) per operation, and a re-read only
// when the file changed (a rename gives a new inode, an edit a new mtime or size). A file that has
// become unreadable or invalid stops the batch too: fail closed.
import { statSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';

import { CONTROL_FILE_NAME } from '../domain/index.js';
import { parseControlFile } from './load-control-file.js';
import { stopReason } from './stop-resume.js';

const signature = (stat: Stats | undefined): string => (stat ? `${stat.ino}:${stat.mtimeMs}:${stat.size}:${stat.ctimeMs}` : 'missing');

/** Returns a function that answers "must this batch stop now?" with the reason, or null. */
export function watchForStop(root: string, ecosystems: readonly string[]): () => string | null {
  const file = join(root, CONTROL_FILE_NAME);
  let seen = ''; // the first call reads: a stop may have landed since preflight
  let verdict: string | null = null;
  return () => {
    const now = signature(statSync(file, { throwIfNoEntry: false }));
    if (now === seen) return verdict;
    seen = now;
    try {
      verdict = stopReason(parseControlFile(readFileSync(file, 'utf8'), file), ecosystems);
    } catch (error) {
      verdict = `${CONTROL_FILE_NAME} can no longer be used (${(error as Error).message})`;
    }
    return verdict;
  };
}
