// What the engine is built from: the composition root (app/) makes these once per process.
import type { Git } from '../git/index.js';
import type { Logger } from '../log/index.js';
import type { Store } from '../store/index.js';
import type { EventBus } from './event-bus.js';
import type { GitHubPort } from './github/github-port.js';

export interface EngineDeps {
  git: Git;
  store: Store;
  bus: EventBus;
  logger: Logger;
  /** where the journal, lock and temporary indexes live: <git-dir>/batchctl */
  stateDir: string;
  now: () => Date;
  /** BATCHCTL_SIGNING_KEY: when set, every batch commit carries a Batch-Sig trailer */
  signingKey?: string;
  /**
   * Who acts when the caller names no one ($GITHUB_ACTOR, else the login name): a batch's
   * `requested_by` and the author of a stop or resume. The composition root works it out.
   */
  actor?: string;
  /**
   * Called after each step of a run. The one-shot CLI collects garbage there for large batches
   * (app/collect-garbage.ts); a long-lived engine shares its process and has none (docs/lifecycle.md#the-queue).
   */
  betweenSteps?: (info: { operations: number }) => void;
  /** BATCHCTL_PUSH_BUDGET_MS: how long one change keeps retrying its push (default push-retry.ts PUSH_BUDGET_MS) */
  pushBudgetMs?: number;
  /**
   * GitHub access (app/open-github.ts, when GITHUB_TOKEN is set): commit statuses, incident issues,
   * `propose` (docs/github-api.md). Without it those features are off and a run is unchanged.
   */
  github?: GitHubPort;
  /** runs work that takes the repository lock in its turn among this process's (the engine's lane) */
  serialize?: <T>(work: () => Promise<T>) => Promise<T>;
}
