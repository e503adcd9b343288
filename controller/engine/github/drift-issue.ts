// The one drift issue (label `security`, a marker in its body): opened or updated while `batchctl verify`
// finds drift, closed with a comment when it comes back clean (docs/github-api.md#drift-issue).
import type { DriftEntry, VerifyReport } from '../../domain/index.js';
import type { GitHubPort, IssueAction } from './github-port.js';

export const DRIFT_LABEL = 'security';
export const DRIFT_MARKER = '<!-- batchctl:drift -->';
/** rows in the table; the rest are counted */
const SHOWN = 50;

const short = (oid: string | null): string => (oid === null ? '(none)' : `\`${oid.slice(0, 12)}\``);
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function row(entry: DriftEntry): string {
  const by = entry.changed_by
    ? `\`${entry.changed_by.commit.slice(0, 12)}\` ${cell(entry.changed_by.subject)} (${cell(entry.changed_by.author)})`
    : 'work tree';
  return `| \`${cell(entry.path)}\` | ${entry.batch_id} | ${short(entry.expected_blob)} | ${short(entry.actual_blob)} | ${by} |`;
}

/** The Markdown table of what drifted, as the issue body and its update comments say it. */
export function driftTable(report: VerifyReport): string {
  const rows = report.drift.slice(0, SHOWN).map(row);
  const more = report.drift.length > SHOWN ? `\n\n…and ${report.drift.length - SHOWN} more (\`batchctl verify --all --json\`).` : '';
  return (
    [
      `\`batchctl verify\` at \`${report.head.slice(0, 12)}\` found ${report.drift.length} file(s) a batch wrote changed outside batchctl (${report.checked_files} files of ${report.checked_batches} batches checked).`,
      '',
      '| path | batch | expected | actual | changed by |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n') + more
  );
}

/**
 * @example const action = await syncDriftIssue(port, VerifyReportSchema.parse(json)); // opened | commented | closed | none
 */
export async function syncDriftIssue(port: GitHubPort, report: VerifyReport): Promise<IssueAction> {
  const ref = { label: DRIFT_LABEL, marker: DRIFT_MARKER };
  const run = port.runUrl ? `\n\nRun: ${port.runUrl}` : '';
  if (report.drift.length === 0) {
    return port.closeIssue({ ...ref, comment: `\`batchctl verify\` at \`${report.head.slice(0, 12)}\` found no drift: closing.${run}` });
  }
  const table = driftTable(report);
  return port.raiseIssue({
    ...ref,
    title: `Drift: ${report.drift.length} file(s) written by batches changed outside batchctl`,
    body: `${table}\n\nRoll the change back, or make it as a batch. This issue closes when \`batchctl verify\` finds no drift.${run}`,
    comment: `Still drifting.\n\n${table}${run}`,
  });
}
