// What the engine tells GitHub as it runs (docs/github-api.md), as a listener of its own events: the
// `batchctl/batch` status on each batch commit, and the incident issue of each breaker that opens or closes.
// The calls run one after another off the batch's path; `settle()` waits for them and says what happened.
import { EVENT, type BatchEvent, type GitHubOutcome, type Reason } from '../../domain/index.js';
import { toBatchctlError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import type { EventBus } from '../event-bus.js';
import { batchStatusOf } from './batch-status.js';
import type { GitHubPort } from './github-port.js';
import { syncIncident } from './incident-issue.js';

export interface GitHubReporter {
  /** waits for the calls made so far; what they did since the last settle */
  settle(): Promise<GitHubOutcome>;
  close(): Promise<void>;
}

/** Kept per list until someone settles (a long-lived engine may never): the latest ones. */
const KEEP = 100;

/** Both outcomes in one: the later's pull request and status win, the lists add up. */
export function mergeGitHubOutcome(a: GitHubOutcome | undefined, b: GitHubOutcome): GitHubOutcome {
  const merged: GitHubOutcome = { ...a, ...b };
  const incidents = [...(a?.incidents ?? []), ...(b.incidents ?? [])];
  const warnings = [...(a?.warnings ?? []), ...(b.warnings ?? [])];
  if (incidents.length > 0) merged.incidents = incidents.slice(-KEEP);
  if (warnings.length > 0) merged.warnings = warnings.slice(-KEEP);
  return merged;
}

export function createGitHubReporter({ port, bus, logger }: { port: GitHubPort; bus: EventBus; logger: Logger }): GitHubReporter {
  let chain: Promise<void> = Promise.resolve();
  let outcome: GitHubOutcome = {};
  const warn = (reason: Reason): void => {
    logger.debug({ code: reason.code }, reason.message);
    outcome = mergeGitHubOutcome(outcome, { warnings: [reason] });
  };
  const later = (what: string, call: () => Promise<void>): void => {
    chain = chain.then(call).catch((error: unknown) => {
      const failure = toBatchctlError(error);
      warn({
        code: failure.code,
        message: `${what}: ${failure.detail}`,
        ...(failure.hint ? { hint: failure.hint } : {}),
        ...(Object.keys(failure.data).length > 0 ? { data: failure.data } : {}),
      });
    });
  };
  const onEvent = (event: BatchEvent): void => {
    if (event.type === EVENT.batchComplete) {
      const status = batchStatusOf(event.data);
      if (status) {
        later('the batchctl/batch commit status was not set', async () => {
          await port.setCommitStatus({ ...status, ...(port.runUrl ? { targetUrl: port.runUrl } : {}) });
          outcome.commit_status = status.state === 'success' ? 'success' : 'failure';
        });
      }
    }
    if (event.type === EVENT.breakerChanged) {
      const { ecosystem, from, to, why } = event.data as { ecosystem?: unknown; from?: unknown; to?: unknown; why?: unknown };
      if (typeof ecosystem !== 'string' || typeof to !== 'string') return;
      later(`the incident issue of ${ecosystem} was not updated`, async () => {
        const action = await syncIncident(port, {
          ecosystem,
          from: String(from),
          to,
          ...(typeof why === 'string' ? { why } : {}),
          batchId: event.batch_id,
        });
        if (action) outcome = mergeGitHubOutcome(outcome, { incidents: [{ ecosystem, ...action }] });
      });
    }
  };
  const off = bus.on(onEvent);
  return {
    async settle() {
      await chain;
      const done = outcome;
      outcome = {};
      return done;
    },
    async close() {
      off();
      await chain;
    },
  };
}
