// What a run did on GitHub, for a person: the pull request, the incident issues, and one warning line per
// call that failed (the batch's outcome stands: a GitHub failure is said, never made the exit code).
import { appendFileSync } from 'node:fs';

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

/** In the Actions job summary, under the batch's table: the pull request and incidents, as links. */
export function summarizeGitHubOutcome(outcome: GitHubOutcome | undefined, summaryFile: string | undefined): void {
  if (!outcome || !summaryFile) return;
  const lines = [
    ...(outcome.pull_request ? [`Pull request: [#${outcome.pull_request.number}](${outcome.pull_request.url})`] : []),
    ...(outcome.incidents ?? []).map((i) => `Incident issue ${i.action} for \`${i.ecosystem}\`${i.url ? `: ${i.url}` : ''}`),
    ...(outcome.warnings ?? []).map((w) => `**${w.code}**: ${w.message}`),
  ];
  if (lines.length > 0) appendFileSync(summaryFile, `${lines.join('\n\n')}\n\n`);
}
