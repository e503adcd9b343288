// GitHub access from the environment (docs/github-api.md#environment): a port the engine is given, or why the
// features are off. Only app/ reads GITHUB_TOKEN; without it `run` works and the GitHub features say they are off.
import type { GitHubPort } from '../engine/index.js';
import { BatchctlError, toBatchctlError } from '../errors/index.js';
import {
  closeMarkedIssue,
  createGitHubClient,
  findMarkedIssue,
  openPullRequest,
  raiseMarkedIssue,
  setCommitStatus,
} from '../github/index.js';
import type { Logger } from '../log/index.js';
import type { Environment } from './environment.js';

export type GitHubAccess = { on: true; port: GitHubPort } | { on: false; why: string };

/** @example const github = openGitHub(env); if (github.on) await github.port.setCommitStatus(…) */
export function openGitHub(env: Environment, logger?: Logger): GitHubAccess {
  if (!env.GITHUB_TOKEN) return { on: false, why: 'GITHUB_TOKEN is not set' };
  if (!env.GITHUB_REPOSITORY) return { on: false, why: 'GITHUB_REPOSITORY (owner/name) is not set' };
  const client = createGitHubClient({
    token: env.GITHUB_TOKEN,
    repository: env.GITHUB_REPOSITORY,
    baseUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    pacing: { minGapMs: env.BATCHCTL_GITHUB_WRITE_GAP_MS ?? 1000 },
    ...(logger ? { logger } : {}),
  });
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : null;
  return {
    on: true,
    port: {
      repository: env.GITHUB_REPOSITORY,
      runUrl,
      openPullRequest: (input) => openPullRequest(client, input),
      findIssue: (ref) => findMarkedIssue(client, ref),
      raiseIssue: (input) => raiseMarkedIssue(client, input),
      closeIssue: (input) => closeMarkedIssue(client, input),
      setCommitStatus: (input) => setCommitStatus(client, input),
      writes: () => client.writes(),
    },
  };
}

/**
 * For a long-lived process (serve, mcp), whose batches' GitHub outcome nobody reads off a result: every failed
 * call is logged as a warning with its code (the engine's reporter still turns it into a warning, never an outcome).
 */
export function logFailures(port: GitHubPort, logger: Logger): GitHubPort {
  const logged =
    <A extends unknown[], R>(what: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        const failure = toBatchctlError(error);
        logger.warn({ code: failure.code, github: what, ...failure.data }, `GitHub: ${what} failed: ${failure.detail}`);
        throw error;
      }
    };
  // findIssue is left as it is: its one caller (a stop's incident link) logs its own failure.
  return {
    ...port,
    openPullRequest: logged('open a pull request', port.openPullRequest),
    raiseIssue: logged('open or comment on an issue', port.raiseIssue),
    closeIssue: logged('close an issue', port.closeIssue),
    setCommitStatus: logged('set a commit status', port.setCommitStatus),
  };
}

/** The port, or GITHUB_OFF naming the feature and what is missing (nothing was sent). */
export function requireGitHub(env: Environment, feature: string, logger?: Logger): GitHubPort {
  const access = openGitHub(env, logger);
  if (access.on) return access.port;
  throw new BatchctlError({
    code: 'GITHUB_OFF',
    message: `${feature} is off: ${access.why}`,
    hint: 'export GITHUB_TOKEN (in Actions: `env: GITHUB_TOKEN: ${{ github.token }}`) and GITHUB_REPOSITORY=owner/name',
    data: { feature },
  });
}
