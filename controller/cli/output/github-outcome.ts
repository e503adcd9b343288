// What a run did on GitHub, for a person: the pull request, the incident issues, and one warning line per
// call that failed (the batch's outcome stands: a GitHub failure is said, never made the exit code).
import type { GitHubOutcome } from '../../domain/index.js';
import { errorLine } from './error-line.js';

export function printGitHubOutcome(outcome: GitHubOutcome | undefined, json: boolean): void {
  if (!outcome) return;
  if (!json) {
    const pr = outcome.pull_request;
    if (pr) process.stdout.write(`pull request #${pr.number}: ${pr.url}${pr.auto_merge ? ' (auto-merge on)' : ''}\n`);
    for (const i of outcome.incidents ?? []) process.stdout.write(`incident issue ${i.action} for ${i.ecosystem}: ${i.url ?? '-'}\n`);
  }
  for (const warning of outcome.warnings ?? []) process.stderr.write(errorLine(warning).replace(/^batchctl: /, 'batchctl: warning: '));
}

/** A run inside GitHub Actions with no token: the features that would act say, in one line, that they are off. */
export function printGitHubOff(why: string): void {
  process.stderr.write(`batchctl: github: commit status and incident issues are off: ${why}\n`);
}
