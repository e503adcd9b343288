// Control-state commits are pushed the same way as batches (SPEC §4 step 8): atomically, leased on
// the remote head, and on rejection re-made on the remote's new head from *its* control file, so an
// operator's edit pushed meanwhile is kept and this change applied on top of it.
import { CONTROL_FILE_NAME } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { changedPaths, fetchUpstream, fileAt, isAncestor, pushAtomic, upstreamOf } from '../../git/index.js';
import type { EngineDeps } from '../engine-deps.js';

const ATTEMPTS = 5;

export interface ControlBuild {
  commit: string;
  /** the control file's text in that commit */
  text: string;
}

export interface PublishedControl extends ControlBuild {
  /** paths the remote's newer head brings (besides the control file): the work tree takes them */
  sync: string[];
}

/**
 * Publish `first` (built on `head`) to the branch's upstream, if there is one; `rebuild` makes the
 * commit again on another base from that base's control file text.
 */
export async function publishControl(
  deps: EngineDeps, head: string | null, first: ControlBuild, rebuild: (base: string, text: string | null) => Promise<ControlBuild>,
): Promise<PublishedControl> {
  const { git } = deps;
  const up = await upstreamOf(git.runner);
  if (!up) return { ...first, sync: [] };
  let built = first;
  let expected = head; // what the commit is built on: the push can only fast-forward
  let sync: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const pushed = await pushAtomic(git.runner, up, { commit: built.commit, expected, refs: [] });
    if (pushed.ok) return { ...built, sync };
    if (attempt >= ATTEMPTS) {
      throw new BatchctlError({
        code: 'PUSH_REJECTED',
        message: `${up.remote} rejected the control change ${attempt} times; ${CONTROL_FILE_NAME} is written here but neither committed nor pushed`,
        hint: 'run the command again',
        data: { detail: pushed.detail.slice(0, 2000) },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt * (0.5 + Math.random())));
    if (!pushed.rejected) continue;
    const remoteHead = await fetchUpstream(git.runner, up);
    if (remoteHead === null) continue;
    if (head !== null && (await isAncestor(git.runner, remoteHead, head))) {
      expected = remoteHead; // behind our branch: the same commit still fast-forwards it
      continue;
    }
    if (head !== null && !(await isAncestor(git.runner, head, remoteHead))) {
      throw new BatchctlError({
        code: 'PUSH_CONFLICT',
        message: `the local branch and ${up.remote} ${up.remoteRef} have diverged; ${CONTROL_FILE_NAME} is written here but not committed`,
        hint: 'pull (or rebase), then run the command again',
      });
    }
    sync = (await changedPaths(git.runner, head, remoteHead)).filter((path) => path !== CONTROL_FILE_NAME);
    const dirty = [...(await git.pathStates(sync)).keys()];
    if (dirty.length > 0) {
      throw new BatchctlError({
        code: 'PUSH_CONFLICT',
        message: `local changes to ${dirty.slice(0, 10).join(', ')} are in the way of ${up.remote}'s newer head; ${CONTROL_FILE_NAME} is written here but not committed`,
        hint: 'commit or stash them, pull, and run the command again',
        data: { paths: dirty },
      });
    }
    built = await rebuild(remoteHead, await fileAt(git.runner, remoteHead, CONTROL_FILE_NAME));
    expected = remoteHead;
  }
}
