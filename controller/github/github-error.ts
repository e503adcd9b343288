// GitHub's answers as batchctl's named errors (controller/errors/codes.ts): the token is refused, it lacks a
// permission (named from X-Accepted-GitHub-Permissions), the limits held after the retries, or anything else.
import { RequestError } from 'octokit';

import { BatchctlError } from '../errors/index.js';

const header = (error: RequestError, name: string): string | undefined => {
  const value = error.response?.headers[name];
  return value === undefined || value === null ? undefined : String(value);
};

const isRateLimit = (error: RequestError): boolean =>
  error.status === 429 || (error.status === 403 && (/rate limit/i.test(error.message) || header(error, 'x-ratelimit-remaining') === '0'));

/**
 * @param what the call in words, for the message: "open the pull request"
 * @example catch (error) { throw gitHubError(error, 'create the incident issue'); }
 */
export function gitHubError(error: unknown, what: string): BatchctlError {
  if (error instanceof BatchctlError) return error;
  if (!(error instanceof RequestError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new BatchctlError({
      code: 'GITHUB_FAILED',
      message: `could not ${what}: ${message}`,
      hint: 'check GITHUB_API_URL and the network',
      cause: error,
    });
  }
  const request = `${error.request.method} ${new URL(error.request.url).pathname}`;
  const data = { status: error.status, request };
  if (error.status === 401) {
    return new BatchctlError({
      code: 'GITHUB_UNAUTHORIZED',
      message: `GitHub refused the token (401) when batchctl tried to ${what}`,
      hint: 'GITHUB_TOKEN is expired, revoked or not a token for this GitHub (GITHUB_API_URL)',
      data,
      cause: error,
    });
  }
  if (isRateLimit(error)) {
    const retryAfter = header(error, 'retry-after');
    return new BatchctlError({
      code: 'GITHUB_RATE_LIMITED',
      message: `GitHub's rate limit held after the retries when batchctl tried to ${what} (${error.status})`,
      hint: retryAfter ? `try again in ${retryAfter} s` : 'try again later',
      data: { ...data, ...(retryAfter ? { retry_after: Number(retryAfter) } : {}) },
      cause: error,
    });
  }
  // GitHub names what a fine-grained token or the workflow's GITHUB_TOKEN lacks: "pull_requests=write".
  const accepted = header(error, 'x-accepted-github-permissions');
  if (error.status === 403 || (error.status === 404 && accepted)) {
    const permission = accepted ?? 'unknown (GitHub did not say)';
    return new BatchctlError({
      code: 'GITHUB_PERMISSION',
      message: `the token lacks a permission to ${what}: ${permission}`,
      hint: `grant the token ${permission.replaceAll('=', ': ').replaceAll(',', ' or')} (workflow \`permissions:\`, or the fine-grained token's settings)`,
      data: { ...data, permission },
      cause: error,
    });
  }
  return new BatchctlError({
    code: 'GITHUB_FAILED',
    message: `GitHub answered ${error.status} when batchctl tried to ${what}: ${error.message}`,
    hint: 'check GITHUB_REPOSITORY and that the branch, commit or issue exists',
    data,
    cause: error,
  });
}
