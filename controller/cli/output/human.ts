// Human-readable renderings of results, validations and stored batches.
import type { BatchResult, ValidationIssue, ValidationResult } from '../../domain/index.js';
import type { BatchRow } from '../../engine/index.js';

function issueLine(issue: ValidationIssue): string {
  const where = issue.index >= 0 ? `op ${issue.index}` : 'batch';
  return `  ${issue.code} (${where}${issue.path !== undefined ? `, ${issue.path}` : ''}): ${issue.message}${issue.hint ? `\n      hint: ${issue.hint}` : ''}`;
}

export function renderValidation(result: ValidationResult): string {
  const lines = [
    result.valid ? 'valid' : `invalid: ${result.issues.length} error(s)`,
    ...result.issues.map(issueLine),
    ...(result.warnings.length > 0 ? [`${result.warnings.length} warning(s):`, ...result.warnings.map(issueLine)] : []),
    `estimated time: ${result.estimated_time_seconds}s, content: ${result.total_size_bytes} bytes`,
    `plan hash: ${result.plan_hash}`,
  ];
  const SHOWN = 200; // a 100k-step plan belongs in --json, not on a terminal
  if (result.plan) {
    lines.push('plan:', ...result.plan.slice(0, SHOWN).map((step) => `  [${step.index}] ${step.action}`));
    if (result.plan.length > SHOWN) lines.push(`  … and ${result.plan.length - SHOWN} more steps (--json lists them all)`);
  }
  return lines.join('\n');
}

export function renderResult(result: BatchResult): string {
  const lines = [
    `batch ${result.batch_id}: ${result.status} (${result.success_count} succeeded, ${result.failure_count} failed, ${result.duration_ms} ms)`,
  ];
  if (result.reason) lines.push(`  ${result.reason.code}: ${result.reason.message}`);
  if (result.pending) lines.push(`  pending (run \`batchctl recover\`): ${result.pending.code}: ${result.pending.message}`);
  if (result.commit) lines.push(`  commit ${result.commit}`, `  tag    ${result.tag}`);
  if (result.backup_id) lines.push(`  backup ${result.backup_id}`);
  for (const error of result.errors.slice(0, 20))
    lines.push(`  op ${error.index} ${error.type} ${error.path}: ${error.code} ${error.message}`);
  if (result.errors.length > 20) lines.push(`  … and ${result.errors.length - 20} more errors`);
  return lines.join('\n');
}

export function renderRows(rows: readonly BatchRow[]): string {
  if (rows.length === 0) return 'no batches yet';
  const header = ['BATCH', 'STATUS', 'ECOSYSTEM', 'OK', 'FAILED', 'CREATED', 'TITLE'];
  const body = rows.map((r) => [
    r.batch_id,
    r.status,
    r.ecosystem,
    String(r.success_count),
    String(r.failure_count),
    r.created_at,
    r.title,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  return [header, ...body]
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n');
}
