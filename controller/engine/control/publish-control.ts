// Control-state commits are pushed the same way as batches (docs/lifecycle.md#gitops-push): atomically, leased on
// the remote head, and on rejection re-made on the remote's new head from *its* control file, so an
// operator's edit pushed meanwhile is kept and this change applied on top of it.
import { CONTROL_FILE_NAME } from '../../domain/index.js';
import { upstreamOf } from '../../git/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { incomingPaths, pushBudget, pushOrFindNewHead } from '../push-retry.js';

export interface ControlBuild {
  commit: string;
  /** the control file's text in that commit */
  text: string;
}

export interface PublishedControl extends ControlBuild {
  /** paths the remote's newer head brings (besides the control file): the work tree takes them */
  sync: string[];
  /** the commit is on the upstream (false: no upstream, or `push: false`) */
  published: boolean;
}

export interface PublishControlOptions {
  /** false: commit locally only (`--no-push`); the one rule: docs/lifecycle.md#gitops-push */
  push?: boolean;
  /** more paths the commit writes besides the control file (init's schema): the remote's are not taken */
  ours?: readonly string[];
}

/**
 * Publish `first` (built on `head`) to the branch's upstream, if there is one and `push` is not
 * false; `rebuild` makes the commit again on another base from that base's control file text.
 */
export async function publishControl(
  deps: EngineDeps,
  head: string | null,
  first: ControlBuild,
  rebuild: (base: string, text: string | null) => Promise<ControlBuild>,
  { push = true, ours = [] }: PublishControlOptions = {},
): Promise<PublishedControl> {
  const { git } = deps;
  const up = push ? await upstreamOf(git.runner) : null;
  if (!up) return { ...first, sync: [], published: false };
  const mine = new Set([CONTROL_FILE_NAME, ...ours]);
  const consequence = `${CONTROL_FILE_NAME} is written here but neither committed nor pushed`;
  const budget = pushBudget(deps.pushBudgetMs);
  let built = first;
  let expected = head; // what the commit is built on: the push can only fast-forward
  let sync: string[] = [];
  for (;;) {
    const remoteHead = await pushOrFindNewHead(git, up, {
      commit: built.commit,
      refs: [],
      expected,
      localHead: head,
      budget,
      consequence,
    });
    if (remoteHead === null) return { ...built, sync, published: true };
    sync = await incomingPaths(git, { localHead: head, remoteHead, ours: (path) => mine.has(path), consequence });
    built = await rebuild(remoteHead, await git.fileAt(remoteHead, CONTROL_FILE_NAME));
    expected = remoteHead;
  }
}
