// One issue per concern, found again by a label and a hidden marker in its body (`<!-- batchctl:… -->`):
// an incident per ecosystem breaker, one drift issue. Opened once, commented on while open, closed with a
// comment when the concern clears: never a duplicate, however often the command runs.
import { gitHubError } from './github-error.js';
import type { GitHubClient } from './github-client.js';

export interface MarkedIssueRef {
  /** the label the issue carries and is listed by: incident, security */
  label: string;
  /** the HTML comment in its body that makes it this concern's issue */
  marker: string;
}

export interface IssueAction {
  action: 'opened' | 'commented' | 'closed' | 'none';
  number: number | null;
  url: string | null;
}

/** The open issue with the label whose body carries the marker, over every page of the list. */
export async function findMarkedIssue(
  client: GitHubClient,
  { label, marker }: MarkedIssueRef,
): Promise<{ number: number; url: string } | null> {
  const { octokit, owner, repo } = client;
  try {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, { owner, repo, labels: label, state: 'open', per_page: 100 });
    for await (const { data } of pages) {
      // The list holds pull requests too; the marker is only ever put in an issue's body.
      const found = data.find((issue) => issue.pull_request === undefined && (issue.body ?? '').includes(marker));
      if (found) return { number: found.number, url: found.html_url };
    }
    return null;
  } catch (error) {
    throw gitHubError(error, `list the open issues labelled ${label}`);
  }
}

/**
 * Opens the issue (title, body + marker, label), or comments on the open one.
 * @example await raiseMarkedIssue(client, { label: 'incident', marker, title, body, comment: body })
 */
export async function raiseMarkedIssue(
  client: GitHubClient,
  ref: MarkedIssueRef & { title: string; body: string; comment: string },
): Promise<IssueAction> {
  const { octokit, owner, repo } = client;
  const open = await findMarkedIssue(client, ref);
  try {
    if (open) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: open.number, body: ref.comment });
      return { action: 'commented', ...open };
    }
    const { data } = await octokit.rest.issues.create({
      owner,
      repo,
      title: ref.title,
      body: `${ref.body}\n\n${ref.marker}\n`,
      labels: [ref.label],
    });
    return { action: 'opened', number: data.number, url: data.html_url };
  } catch (error) {
    throw gitHubError(error, open ? `comment on issue #${open.number}` : `open an issue labelled ${ref.label}`);
  }
}

/** Closes the open issue with a comment; nothing when there is none. */
export async function closeMarkedIssue(client: GitHubClient, ref: MarkedIssueRef & { comment: string }): Promise<IssueAction> {
  const { octokit, owner, repo } = client;
  const open = await findMarkedIssue(client, ref);
  if (!open) return { action: 'none', number: null, url: null };
  try {
    await octokit.rest.issues.createComment({ owner, repo, issue_number: open.number, body: ref.comment });
    await octokit.rest.issues.update({ owner, repo, issue_number: open.number, state: 'closed', state_reason: 'completed' });
    return { action: 'closed', ...open };
  } catch (error) {
    throw gitHubError(error, `close issue #${open.number}`);
  }
}
