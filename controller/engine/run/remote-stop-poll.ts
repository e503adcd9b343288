// A stop pushed by an operator from anywhere reaches batches already running (docs/control-file.md): every
// `policy.remote_poll_seconds` the run fetches its upstream and reads the control file there. The
// poll holds the next operation back until it has answered (a fetch, tens of milliseconds every
// 30 s), so "within one operation" holds for remote stops as for local ones.
import { stopReasonInText } from '../../control/index.js';
import { batchEcosystems, CONTROL_FILE_NAME } from '../../domain/index.js';
import { fetchUpstream, type Upstream } from '../../git/index.js';
import type { RunContext } from './run-context.js';

export interface RemoteStopPoll {
  /** a promise while a poll is due and running, else null */
  due(): Promise<void> | null;
  /** the stop found at the remote, if any */
  reason(): string | null;
}

export function remoteStopPoll(ctx: RunContext, up: Upstream, everySeconds: number): RemoteStopPoll {
  const { git, now, logger } = ctx.deps;
  let last = now().getTime();
  let found: string | null = null;
  return {
    reason: () => found,
    due() {
      if (found !== null || now().getTime() - last < everySeconds * 1000) return null;
      last = now().getTime();
      return (async () => {
        try {
          const head = await fetchUpstream(git.runner, up);
          if (head === null) return;
          const text = await git.fileAt(head, CONTROL_FILE_NAME);
          const name = `${up.remote} ${up.remoteRef} at ${head.slice(0, 12)}: ${CONTROL_FILE_NAME}`;
          // Fail closed here too: a control file that went missing or broken at the remote stops the run.
          const why = stopReasonInText(text, name, batchEcosystems(ctx.batch));
          if (why !== null) found = `${why} (pushed to ${up.remote})`;
        } catch (error) {
          // An unreachable remote is not a stop: the push at the end will say what it has to.
          logger.warn({ err: error }, 'could not poll the remote control file');
        }
      })();
    },
  };
}
