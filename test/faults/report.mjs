// The sweep's results as the table docs/reliability.md shows (fault → trials, pre, post, violations)
// and as JSON for --report.
import { CLASS_NAMES, guessClass } from './classes.mjs';

/** The row a trial counts in: `pwrite64 × EIO`, `git mktree × cut`. */
const groupOf = (trial) => (trial.kind === 'strace' ? `${trial.syscall} × ${trial.fault}` : `git ${trial.sub} × ${trial.mode}`);

export function tabulate(results) {
  const rows = new Map();
  for (const r of results) {
    const key = groupOf(r.trial);
    const row = rows.get(key) ?? { fault: key, trials: 0, pre: 0, post: 0, violations: 0, hangs: 0 };
    row.trials++;
    if (r.run.timedOut) row.hangs++;
    if (r.outcome === 'pre') row.pre++;
    else if (r.outcome === 'post') row.post++;
    else row.violations++;
    rows.set(key, row);
  }
  return [...rows.values()];
}

export function formatTable(rows) {
  const total = rows.reduce(
    (t, r) => ({
      trials: t.trials + r.trials,
      pre: t.pre + r.pre,
      post: t.post + r.post,
      violations: t.violations + r.violations,
      hangs: t.hangs + r.hangs,
    }),
    { trials: 0, pre: 0, post: 0, violations: 0, hangs: 0 },
  );
  const lines = ['| fault | trials | pre | post | violations | hangs (killed) |', '|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.fault} | ${r.trials} | ${r.pre} | ${r.post} | ${r.violations} | ${r.hangs} |`);
  lines.push(`| **total** | ${total.trials} | ${total.pre} | ${total.post} | ${total.violations} | ${total.hangs} |`);
  return lines.join('\n');
}

/** The violations grouped by their likely class, each with the command that replays it. */
export function violationsByClass(results, replay) {
  const groups = {};
  for (const r of results.filter((x) => x.outcome === 'violation')) {
    const cls = guessClass({ problems: r.problems, state: r.state, run: r.run });
    (groups[cls] ??= []).push({ id: r.trial.id, replay: replay(r.trial), state: r.state, run: r.run, problems: r.problems, dir: r.dir });
  }
  return groups;
}

export function formatViolations(groups) {
  const lines = [];
  for (const [cls, list] of Object.entries(groups).sort(([a], [b]) => Number(a) - Number(b))) {
    lines.push(`class ${cls} (${CLASS_NAMES[cls] ?? 'unclassified'}): ${list.length}`);
    for (const v of list.slice(0, 12))
      lines.push(
        `  ${v.replay}\n      ${v.problems.map((p) => `${p.check}: ${JSON.stringify(p.paths ?? p.detail).slice(0, 160)}`).join('\n      ')}`,
      );
    if (list.length > 12) lines.push(`  … ${list.length - 12} more in the JSON report`);
  }
  return lines.join('\n');
}
