// What the pull request of a proposed batch says (`run --pr`): its title, a summary table of the operations, and
// the commit's trailer block, so a reviewer sees what the batch does before it reaches the branch.
import type { Batch, BatchResult } from '../../domain/index.js';

/** rows of the operations table; the rest are counted */
const SHOWN = 50;

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function where(op: Batch['operations'][number]): string {
  return 'source' in op ? `\`${cell(op.source)}\` → \`${cell(op.target)}\`` : `\`${cell(op.target)}\``;
}

/** The trailer block of a commit message: its last paragraph. */
export function trailerBlock(message: string): string {
  const paragraphs = message.trim().split(/\n\s*\n/);
  return paragraphs[paragraphs.length - 1] ?? '';
}

export function proposalBody({ batch, result, message }: { batch: Batch; result: BatchResult; message: string }): string {
  const counts = new Map<string, number>();
  for (const op of batch.operations) counts.set(op.type, (counts.get(op.type) ?? 0) + 1);
  const rows = batch.operations.slice(0, SHOWN).map((op, i) => `| ${i} | ${op.type} | ${where(op)} |`);
  const more = batch.operations.length > SHOWN ? [``, `…and ${batch.operations.length - SHOWN} more operations.`] : [];
  return [
    `Batch \`${result.batch_id}\` (ecosystem \`${batch.ecosystem}\`, requested by ${cell(batch.requested_by)}): ` +
      `${result.success_count} operations landed, ${result.failure_count} failed. ` +
      `${[...counts].map(([type, n]) => `${n} ${type}`).join(', ')}.`,
    '',
    '| # | operation | path |',
    '|---|---|---|',
    ...rows,
    ...more,
    '',
    'Merge this pull request with a merge commit (or squash: `batchctl reindex` follows the trailers); ' +
      '`batchctl reindex` on the base branch then records the batch `completed`.',
    '',
    '```',
    trailerBlock(message),
    '```',
  ].join('\n');
}
