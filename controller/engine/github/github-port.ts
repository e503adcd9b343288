// What the engine asks of GitHub, as an interface app/ fills from github/ (octokit): the engine decides what a
// pull request, an incident, a status or a drift issue says; the port only carries it.
import type { CommitStatusInput, IssueAction, MarkedIssueRef, OpenedPullRequest, PullRequestInput } from '../../github/index.js';

export type { CommitStatusInput, IssueAction, MarkedIssueRef, OpenedPullRequest, PullRequestInput };

export interface GitHubPort {
  /** owner/name */
  repository: string;
  /** the Actions run that acts (GITHUB_SERVER_URL/…/actions/runs/GITHUB_RUN_ID), for links; null outside Actions */
  runUrl: string | null;
  openPullRequest(input: PullRequestInput): Promise<OpenedPullRequest>;
  /** the open issue with the label whose body carries the marker, or null */
  findIssue(ref: MarkedIssueRef): Promise<{ number: number; url: string } | null>;
  /** open the issue with the label and marker, or comment on the open one */
  raiseIssue(input: MarkedIssueRef & { title: string; body: string; comment: string }): Promise<IssueAction>;
  /** comment on and close the open one, if any */
  closeIssue(input: MarkedIssueRef & { comment: string }): Promise<IssueAction>;
  setCommitStatus(input: CommitStatusInput): Promise<void>;
  /** content-creating requests made so far (the budget's `api_writes`) */
  writes(): number;
}
