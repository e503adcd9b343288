// Opens the pull request of a proposed batch (`run --pr`): the PR, its labels, and optionally auto-merge
// (GraphQL enablePullRequestAutoMerge, merge commit: the batch commit itself lands on the base branch).
import { gitHubError } from './github-error.js';
import type { GitHubClient } from './github-client.js';

export interface PullRequestInput {
  /** the pushed branch: batch/<id> */
  head: string;
  base: string;
  title: string;
  body: string;
  labels: readonly string[];
  autoMerge?: boolean;
}

export interface OpenedPullRequest {
  number: number;
  url: string;
  /** auto-merge was enabled (GitHub merges when the required checks pass) */
  auto_merge: boolean;
}

const ENABLE_AUTO_MERGE = `mutation($id: ID!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: MERGE }) { pullRequest { number } }
}`;

/** @example await openPullRequest(client, { head: 'batch/20260101-…', base: 'main', title, body, labels: ['batch'] }) */
export async function openPullRequest(client: GitHubClient, input: PullRequestInput): Promise<OpenedPullRequest> {
  const { octokit, owner, repo } = client;
  let created: { number: number; html_url: string; node_id: string };
  try {
    ({ data: created } = await octokit.rest.pulls.create({
      owner,
      repo,
      head: input.head,
      base: input.base,
      title: input.title,
      body: input.body,
    }));
  } catch (error) {
    throw gitHubError(error, `open a pull request from ${input.head} into ${input.base}`);
  }
  try {
    if (input.labels.length > 0)
      await octokit.rest.issues.addLabels({ owner, repo, issue_number: created.number, labels: [...input.labels] });
    if (input.autoMerge) await octokit.graphql(ENABLE_AUTO_MERGE, { id: created.node_id });
  } catch (error) {
    throw gitHubError(
      error,
      input.autoMerge ? `label and enable auto-merge on pull request #${created.number}` : `label pull request #${created.number}`,
    );
  }
  return { number: created.number, url: created.html_url, auto_merge: input.autoMerge === true };
}
