// Uncommitted edits of batch-control.json (docs/control-file.md#uncommitted-edits): a run reads them
// (a stop in them still stops), but batchctl's own commits would carry them under batchctl's name,
// so a batch is refused until the operator commits them under theirs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { controlDiff } from '../../control/index.js';
import { CONTROL_FILE_NAME } from '../../domain/index.js';
import type { EngineDeps } from '../engine-deps.js';

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // not JSON: compared as text (a broken file is refused before this is asked)
  }
};

/**
 * The fields the work tree's control file changes against HEAD's; `[]` when it has no edit of
 * substance. A file HEAD does not hold yet (an unborn branch, an `init` left to commit) has nothing
 * to compare with: the first commit records it.
 */
export async function uncommittedControlFields(deps: EngineDeps): Promise<string[]> {
  const head = await deps.git.head();
  if (!head) return [];
  const committed = await deps.git.fileAt(head, CONTROL_FILE_NAME);
  if (committed === null) return [];
  const current = await readFile(join(deps.git.root, CONTROL_FILE_NAME), 'utf8').catch(() => null);
  if (current === null || current === committed) return [];
  return controlDiff(parsed(committed), parsed(current));
}
