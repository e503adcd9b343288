// The commit status `batchctl/batch` on a batch commit: what the batch did, where a reviewer sees the commit.
import { gitHubError } from './github-error.js';
import type { GitHubClient } from './github-client.js';

export const STATUS_CONTEXT = 'batchctl/batch';

export interface CommitStatusInput {
  sha: string;
  state: 'success' | 'failure' | 'error' | 'pending';
  /** GitHub keeps 140 characters */
  description: string;
  targetUrl?: string;
}

/** @example await setCommitStatus(client, { sha, state: 'success', description: '12 operations committed' }) */
export async function setCommitStatus(client: GitHubClient, { sha, state, description, targetUrl }: CommitStatusInput): Promise<void> {
  const { octokit, owner, repo } = client;
  try {
    await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha,
      state,
      context: STATUS_CONTEXT,
      description: description.length > 140 ? `${description.slice(0, 139)}…` : description,
      ...(targetUrl ? { target_url: targetUrl } : {}),
    });
  } catch (error) {
    throw gitHubError(error, `set the ${STATUS_CONTEXT} status on ${sha.slice(0, 12)}`);
  }
}
