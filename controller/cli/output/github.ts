// Inside GitHub Actions: a Markdown job summary and ::error annotations (docs/outcomes.md#exit-codes).
import { appendFileSync } from 'node:fs';

import type { BatchResult } from '../../domain/index.js';

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function reportToGitHub(result: BatchResult, summaryFile: string | undefined, annotate: boolean): void {
  if (annotate) {
    if (result.reason && result.status !== 'completed')
      process.stdout.write(`::error title=batch ${result.status}::${escapeData(`${result.reason.code}: ${result.reason.message}`)}\n`);
    for (const error of result.errors.slice(0, 50)) {
      process.stdout.write(`::error file=${error.path},title=${error.code}::${escapeData(error.message)}\n`);
    }
  }
  if (!summaryFile) return;
  const rows = [
    `### batchctl: ${result.batch_id} — ${result.status}`,
    '',
    '| succeeded | failed | commit | tag |',
    '|---|---|---|---|',
    `| ${result.success_count} | ${result.failure_count} | ${result.commit ? `\`${result.commit.slice(0, 12)}\`` : '-'} | ${result.tag ?? '-'} |`,
    '',
    ...(result.reason ? [`**${result.reason.code}**: ${result.reason.message}`, ''] : []),
  ];
  appendFileSync(summaryFile, `${rows.join('\n')}\n`);
}
