// A control-state commit (SPEC §5): batch-control.json alone, with `Control-Change:` trailers, through
// the same lock and compare-and-swap as a batch. The file is written before the lock is taken, so a
// batch that is running sees a stop at once; this commit only records it.
import { join } from 'node:path';

import { CONTROL_FILE_NAME, TRAILER } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { formatTrailers, GitError } from '../../git/index.js';
import { acquireRepoLock } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { recoverPending } from '../recover.js';

export type ControlChangeKind = 'stop' | 'resume' | 'breaker' | 'budget';

export interface ControlCommitRequest {
  kinds: readonly ControlChangeKind[];
  subject: string;
  /** who asked and why, one line each */
  body: readonly string[];
}

/** Commit the control file as it is on disk; null when HEAD already holds exactly that. */
export async function commitControlFile(deps: EngineDeps, request: ControlCommitRequest): Promise<string | null> {
  const { git } = deps;
  const release = await acquireRepoLock({ stateDir: deps.stateDir });
  try {
    // Like every command: an interrupted batch is finished or undone before HEAD moves again.
    await recoverPending(deps);
    const head = await git.head();
    const [oid] = await git.hashFiles([CONTROL_FILE_NAME]);
    if (!oid) throw new Error('hash-object gave no id for the control file');
    const current = head ? (await git.treeEntries(head, [CONTROL_FILE_NAME])).get(CONTROL_FILE_NAME) : undefined;
    if (current?.oid === oid && current.mode === '100644') return null;
    const change = { path: CONTROL_FILE_NAME, entry: { mode: '100644', oid } };
    const tree = await git.writeTree({ parent: head, changes: [change], tempIndex: join(deps.stateDir, `index-control-${process.pid}`) });
    const trailers = formatTrailers(request.kinds.map((kind) => [TRAILER.controlChange, kind] as const));
    const message = `${request.subject}\n\n${request.body.join('\n')}\n\n${trailers}\n`;
    const time = Math.floor(deps.now().getTime() / 1000);
    const commit = await git.commitTree({ tree, parent: head, message, author: git.identity, committer: git.identity, time });
    try {
      await git.updateRefs([{ kind: 'update', ref: 'HEAD', newOid: commit, oldOid: head }], `batchctl: ${request.kinds.join(', ')}`);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      throw new BatchctlError({
        code: 'HEAD_MOVED',
        message: `HEAD moved while the control change was being committed; ${CONTROL_FILE_NAME} is written but not committed`,
        hint: 'run the command again to commit it',
        cause: error,
      });
    }
    await git.updateIndex([change]);
    return commit;
  } finally {
    await release();
  }
}
