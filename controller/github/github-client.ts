// The octokit client batchctl talks to GitHub with: base URL (GitHub Enterprise), token, the throttling and
// retry plugins octokit bundles (primary and secondary limits, Retry-After), and the write pacer.
import { Octokit } from 'octokit';

import { BatchctlError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { createPacer, type Pacer, type PacerOptions } from './pacer.js';

export interface GitHubClientOptions {
  token: string;
  /** `owner/name` (GITHUB_REPOSITORY) */
  repository: string;
  /** REST root: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise (GITHUB_API_URL) */
  baseUrl?: string;
  pacing?: PacerOptions;
  /**
   * One second of a Retry-After header (or of the retry plugin's back-off) in ms: 1000, and 1 in
   * tests, so a `Retry-After: 2` answer is retried after 2 ms rather than 2 s.
   */
  retryUnitMs?: number;
  /** retries after a rate-limit answer before it becomes GITHUB_RATE_LIMITED */
  rateLimitRetries?: number;
  logger?: Logger;
}

export interface GitHubClient {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** content-creating requests that succeeded (POST, PATCH, PUT, DELETE, GraphQL): the budget's `api_writes` */
  writes(): number;
}

type Job = (...args: unknown[]) => unknown;

/**
 * The shape plugin-throttling schedules its queues with (a Bottleneck group: `key(id).schedule([options,]
 * fn, ...args)`), running each job after `before()`. Its write queue's own 1 s gap is replaced by the
 * pacer, which also keeps the per-minute and per-hour counts; its notification queue (3 s) by nothing,
 * as every write already waits its turn in the pacer.
 */
function group(before: () => Promise<void>): unknown {
  const limiter = {
    async schedule(...args: unknown[]): Promise<unknown> {
      const [fn, ...rest] = (typeof args[0] === 'function' ? args : args.slice(1)) as [Job, ...unknown[]];
      await before();
      return fn(...rest);
    },
  };
  return { key: () => limiter };
}

const REPOSITORY = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

/** @example const client = createGitHubClient({ token, repository: 'acme/registry' }); */
export function createGitHubClient({
  token,
  repository,
  baseUrl = 'https://api.github.com',
  pacing = {},
  retryUnitMs = 1000,
  rateLimitRetries = 2,
  logger,
}: GitHubClientOptions): GitHubClient {
  const match = REPOSITORY.exec(repository);
  if (!match?.[1] || !match[2]) {
    throw new BatchctlError({
      code: 'CONFIG_INVALID',
      message: `GITHUB_REPOSITORY is "${repository}", not owner/name`,
      hint: 'GitHub Actions sets it; elsewhere export GITHUB_REPOSITORY=owner/name',
      data: { variable: 'GITHUB_REPOSITORY' },
    });
  }
  const pacer = createPacer(pacing);
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      logger?.warn(
        { kind, retry_after_s: retryAfter, request: `${options.method} ${options.url}`, retry: retryCount + 1 },
        `GitHub ${kind}`,
      );
      return retryCount < rateLimitRetries;
    };
  const octokit = new Octokit({
    auth: token,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    userAgent: 'batchctl',
    throttle: {
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      retryAfterBaseValue: retryUnitMs,
      // The plugin's groups are module-wide; these are this client's (its own pacer).
      write: group(() => pacer.take()),
      notifications: group(() => Promise.resolve()),
    },
    retry: { retryAfterBaseValue: retryUnitMs },
    // octokit logs to the console by default; stdout belongs to results.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => logger?.warn(message),
      error: (message: string) => logger?.error(message),
    },
    // The throttle option's type does not name the `write`/`notifications` groups the plugin reads.
  } as ConstructorParameters<typeof Octokit>[0]);
  let writes = 0;
  octokit.hook.after('request', (_response, options) => {
    if (options.method !== 'GET' && options.method !== 'HEAD') writes += 1;
  });
  return { octokit, owner: match[1], repo: match[2], writes: () => writes };
}
