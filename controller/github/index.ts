// github/: octokit client, pacing, pull requests, marked issues (incidents, drift), commit status.
export { setCommitStatus, STATUS_CONTEXT, type CommitStatusInput } from './commit-status.js';
export { createGitHubClient, type GitHubClient, type GitHubClientOptions } from './github-client.js';
export { gitHubError } from './github-error.js';
export { closeMarkedIssue, findMarkedIssue, raiseMarkedIssue, type IssueAction, type MarkedIssueRef } from './marked-issue.js';
export { createPacer, delayBeforeNext, type Pacer, type PacerOptions } from './pacer.js';
export { openPullRequest, type OpenedPullRequest, type PullRequestInput } from './pull-requests.js';
