// Unknown keys in batch-control.json from the command line (issue 9 A10): another tool's key is kept
// through `stop` and `resume` byte for byte and reported on every run's stderr and by `control`; a
// misspelt one refuses the batch (exit 3, CONTROL_FILE_INVALID).
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});
const BATCH = JSON.stringify({ title: 't', ecosystem: 'npm', operations: [{ type: 'write', target: 'a.txt', content: 'a' }] });
/** Another tool's value, in a spelling JSON.stringify would not reproduce. */
const NOTE = '{"n": 1.50, "s": "caf\\u00e9", "big": 12345678901234567890}';
const WARNING = 'batchctl: warning: batch-control.json: unknown key "x_registry_note" kept as is\n';

function repoWithControl(edit: (text: string) => string): TestRepo {
  const r = gitRepo();
  repos.push(r);
  r.write('batch-control.json', edit(r.read('batch-control.json')));
  r.commitAll('operators edit the control file');
  return r;
}

describe('an unknown top-level key', () => {
  it('is kept byte for byte through stop and resume, and warned about on run and control', async () => {
    const r = repoWithControl((text) => text.replace(/\n}\n$/, `,\n  "x_registry_note": ${NOTE}\n}\n`));
    const kept = `"x_registry_note": ${NOTE}\n`;

    const stop = await runCli(['stop', '--reason', 'incident 9', '--by', 'alice'], { cwd: r.dir });
    expect(stop.code, stop.stderr).toBe(0);
    expect(r.read('batch-control.json')).toContain(kept);
    const resume = await runCli(['resume', '--by', 'alice'], { cwd: r.dir });
    expect(resume.code, resume.stderr).toBe(0);
    expect(r.git('log', '-2', '--format=%(trailers:key=Control-Change,valueonly)').split('\n').filter(Boolean)).toEqual(['resume', 'stop']);
    expect(r.git('show', 'HEAD:batch-control.json')).toContain(kept);

    const run = await runCli(['run', '-'], { cwd: r.dir, input: BATCH });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(WARNING);
    expect(r.git('show', 'HEAD:batch-control.json')).toContain(kept); // through the budget's state commit too
    const json = await runCli(['run', '--json', '-'], { cwd: r.dir, input: BATCH.replace('a.txt', 'b.txt') });
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toContain(WARNING);
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({
      status: 'completed',
      control_warnings: [WARNING.slice('batchctl: warning: '.length, -1)],
    });

    const control = await runCli(['control'], { cwd: r.dir });
    expect(control.code, control.stderr).toBe(0);
    expect(control.stderr).toContain(WARNING);
    const controlJson = await runCli(['control', '--json'], { cwd: r.dir });
    expect(jsonLines(controlJson.stdout).at(-1)).toMatchObject({ warnings: [WARNING.slice('batchctl: warning: '.length, -1)] });
  });
});

describe('a misspelt key', () => {
  it('refuses an npm batch with exit 3 and CONTROL_FILE_INVALID naming the key', async () => {
    const r = repoWithControl((text) => text.replace('"disabled_ecosystems": []', '"disabled_ecosytems": ["npm"]'));
    const head = r.head();
    const run = await runCli(['run', '--json', '-'], { cwd: r.dir, input: BATCH });
    expect(run.code).toBe(3);
    const result = jsonLines(run.stdout).at(-1) as { reason: { code: string; message: string } };
    expect(result).toMatchObject({ status: 'refused', reason: { code: 'CONTROL_FILE_INVALID' } });
    expect(result.reason.message).toContain('disabled_ecosytems');
    expect(r.head()).toBe(head);
  });
});
