// A control-state commit (docs/control-file.md): batch-control.json alone, with `Control-Change:` trailers, through
// the same lock and compare-and-swap as a batch. The file is written before the lock is taken, so a
// batch that is running sees a stop at once; this commit only records it.
import { join } from 'node:path';

import { readFile } from 'node:fs/promises';

import { computeControlEdit, type RawControl } from '../../control/index.js';
import { CONTROL_FILE_NAME, TRAILER, type ControlFile } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { formatTrailers } from '../../git/index.js';
import { acquireRepoLock, clearJournal } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { recoverPending } from '../recover.js';
import { finishControlJournal, journalControlCommit } from './control-journal.js';
import { publishControl, type ControlBuild } from './publish-control.js';

/** The values of the Control-Change trailer (`init` is written by init-control.ts). */
export type ControlChangeKind = 'init' | 'stop' | 'resume' | 'breaker' | 'budget';

export interface ControlCommitRequest {
  kinds: readonly ControlChangeKind[];
  subject: string;
  /** who asked and why, one line each */
  body: readonly string[];
  /** false: commit locally only (`--no-push`; docs/lifecycle.md#gitops-push) */
  push?: boolean;
}

/**
 * Commit the control file as it is on disk (and push it, with an upstream, unless `push: false`); null when HEAD already
 * holds exactly that. `reapply` is the same edit, for a replay on a remote head that moved.
 */
export async function commitControlFile(
  deps: EngineDeps,
  request: ControlCommitRequest & { reapply: (raw: RawControl, current: ControlFile) => void },
): Promise<string | null> {
  // In a long-lived engine the commit waits for its turn in the lane (engine/queue/lane.ts), not for the lock.
  return (deps.serialize ?? ((work) => work()))(() => commitLocked(deps, request));
}

async function commitLocked(
  deps: EngineDeps,
  request: ControlCommitRequest & { reapply: (raw: RawControl, current: ControlFile) => void },
): Promise<string | null> {
  const { git } = deps;
  const release = await acquireRepoLock({ stateDir: deps.stateDir });
  try {
    // Like every command: an interrupted batch is finished or undone before HEAD moves again.
    await recoverPending(deps);
    const head = await git.head();
    const file = join(git.root, CONTROL_FILE_NAME);
    const text = await readFile(file, 'utf8');
    const oid = await git.hashBlob(text);
    const current = head ? (await git.treeEntries(head, [CONTROL_FILE_NAME])).get(CONTROL_FILE_NAME) : undefined;
    if (current?.oid === oid && current.mode === '100644') return null;
    const trailers = formatTrailers(request.kinds.map((kind) => [TRAILER.controlChange, kind] as const));
    const message = `${request.subject}\n\n${request.body.join('\n')}\n\n${trailers}\n`;
    const time = Math.floor(deps.now().getTime() / 1000);
    const build = async (base: string | null, content: string): Promise<ControlBuild> => {
      const blob = await git.hashBlob(content);
      const tree = await git.writeTree({ parent: base, changes: [{ path: CONTROL_FILE_NAME, entry: { mode: '100644', oid: blob } }] });
      return {
        commit: await git.commitTree({ tree, parent: base, message, author: git.identity, committer: git.identity, time }),
        text: content,
      };
    };
    const published = await publishControl(
      deps,
      head,
      await build(head, text),
      async (base, theirs) => {
        const edit = await computeControlEdit(git.root, request.reapply, {
          text: theirs,
          name: `${base.slice(0, 12)}:${CONTROL_FILE_NAME}`,
        });
        return build(base, edit.text);
      },
      { push: request.push !== false },
    );
    const landedOid = published.text === text ? oid : await git.hashBlob(published.text);
    // Journaled like a batch (no batch id): a crash or an error between the ref update and the
    // index refresh is finished by recovery, never left as a staged revert of the change.
    const journal = await journalControlCommit(deps, {
      batchId: '',
      head,
      commit: published.commit,
      control: { before: oid, after: landedOid },
      synced: published.sync,
    });
    try {
      await git.updateRefs(
        [{ kind: 'update', ref: 'HEAD', newOid: published.commit, oldOid: head }],
        `batchctl: ${request.kinds.join(', ')}`,
      );
    } catch (error) {
      if ((await git.head()) !== published.commit) await clearJournal(deps.stateDir); // nothing moved: nothing to finish
      if (!(error instanceof BatchctlError) || error.code !== 'HEAD_MOVED') throw error; // a held lock, a full disk: as they are
      throw new BatchctlError({
        code: 'HEAD_MOVED',
        message: `HEAD moved while the control change was being committed; ${CONTROL_FILE_NAME} is written but not committed`,
        hint: 'run the command again to commit it',
        cause: error,
      });
    }
    try {
      await finishControlJournal(deps, journal);
    } catch (error) {
      // Committed: the index refresh is what is left, and the kept journal has it.
      deps.logger.warn(
        { err: error },
        `committed as ${published.commit}; ${CONTROL_FILE_NAME}'s index refresh is left to \`batchctl recover\``,
      );
    }
    return published.commit;
  } finally {
    await release();
  }
}
