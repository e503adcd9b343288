import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { CLI, jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
function repo(files: Record<string, string> = {}): TestRepo {
  const r = gitRepo(files);
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

const BATCH = JSON.stringify({
  title: 'Add recipes',
  ecosystem: 'npm',
  requested_by: 'ci',
  operations: [
    { type: 'write', target: 'recipes/a.toml', content: 'a' },
    { type: 'write', target: 'recipes/b.toml', content: 'b' },
  ],
});

describe('batchctl run', () => {
  it('prints NDJSON events with increasing seq and the result object last (--json)', async () => {
    const r = repo();
    const out = await runCli(['run', '-', '--json'], { cwd: r.dir, input: BATCH });
    expect(out.code).toBe(0);
    const lines = jsonLines(out.stdout);
    const result = lines.at(-1) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(
      expect.arrayContaining([
        'batch_id',
        'status',
        'success_count',
        'failure_count',
        'commit',
        'tag',
        'rollback_available',
        'backup_id',
        'errors',
      ]),
    );
    expect(result).toMatchObject({ status: 'completed', success_count: 2, failure_count: 0, rollback_available: true });
    const events = lines.slice(0, -1);
    expect(events.map((e) => e.type)).toEqual(['batch_started', 'batch_progress', 'batch_progress', 'batch_complete']);
    const seqs = events.map((e) => e.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(events[2]?.data).toMatchObject({ completed: 2, failed: 0, total: 2 });
    expect(r.git('log', '-1', '--format=%(trailers:key=Batch-Id,valueonly)').trim()).toBe(result.batch_id);
  });

  it('reads NDJSON batches: a header line, then one operation per line', async () => {
    const r = repo();
    const file = join(r.dir, '.git', 'batch.ndjson'); // inside .git: removed with the repository
    const ops = Array.from({ length: 50 }, (_, i) => JSON.stringify({ type: 'write', target: `gen/${i}.toml`, content: `n = ${i}\n` }));
    writeFileSync(file, [JSON.stringify({ title: 'gen', ecosystem: 'pypi' }), ...ops].join('\n'));
    const out = await runCli(['run', file], { cwd: r.dir });
    expect(out.code).toBe(0);
    expect(r.git('ls-files', 'gen').trim().split('\n')).toHaveLength(50);
    expect(r.git('log', '-1', '--format=%(trailers:key=Batch-Ecosystem,valueonly)').trim()).toBe('pypi');
  });

  it.each([
    ['malformed JSON', '{"operations": [', 'INPUT_INVALID'],
    ['an unknown operation type', '{"operations":[{"type":"chmod","target":"a"}]}', 'operations.0.type'],
    ['a missing field', '{"operations":[{"type":"copy","target":"a"}]}', 'operations.0.source'],
    ['a wrong type', '{"operations":[{"type":"write","target":7,"content":"x"}]}', 'operations.0.target'],
    ['an unknown field', '{"operations":[{"type":"write","target":"a","contnet":"x"}]}', 'operations.0'],
    ['no operations', '{"operations":[]}', 'operations'],
    ['an NDJSON operation line', '{"title":"t"}\n{"type":"write","target":"a","content":"x"}\n{"type":"delete"}', 'line 3'],
  ])('exits 2 naming the field for %s, and changes nothing', async (_name, input, expected) => {
    const r = repo();
    const before = r.snapshot();
    const out = await runCli(['run', '-'], { cwd: r.dir, input });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('INPUT_INVALID');
    expect(out.stderr).toContain(expected);
    expect(r.snapshot()).toBe(before);
  });

  it('exits 2 with the rule code when validation refuses, and 3 when the control plane refuses', async () => {
    const r = repo();
    const bad = await runCli(['run', '-', '--json'], {
      cwd: r.dir,
      input: JSON.stringify({ operations: [{ type: 'write', target: '../x', content: '' }] }),
    });
    expect(bad.code).toBe(2);
    expect(jsonLines(bad.stdout).at(-1)).toMatchObject({
      status: 'refused',
      reason: { code: 'VALIDATION_FAILED' },
      errors: [{ code: 'PATH_TRAVERSAL', index: 0, path: '../x' }],
    });

    writeFileSync(join(r.dir, 'batch-control.json'), JSON.stringify({ enabled: false, reason: 'incident 42' }));
    r.commitAll('stop');
    const refused = await runCli(['run', '-'], { cwd: r.dir, input: BATCH });
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('EMERGENCY_STOP');
    expect(refused.stdout).toContain('incident 42');
  });

  it('exits 1 when the batch fails and is rolled back', async () => {
    const r = repo({ 'a.txt': 'x' });
    const out = await runCli(['run', '-'], {
      cwd: r.dir,
      input: JSON.stringify({ operations: [{ type: 'replace', target: 'a.txt', find: 'absent', replace: '' }] }),
    });
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('FAILURE_THRESHOLD');
  });

  it('prints the plan on --dry-run and changes nothing', async () => {
    const r = repo();
    const before = r.snapshot();
    const out = await runCli(['run', '-', '--dry-run'], { cwd: r.dir, input: BATCH });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('write recipes/a.toml (new), 1 bytes');
    expect(r.snapshot()).toBe(before);
  });

  it('serialises two concurrent runs on one repository: both commit, history stays linear', async () => {
    const r = repo();
    const batchOf = (name: string): string =>
      JSON.stringify({
        title: name,
        operations: Array.from({ length: 200 }, (_, i) => ({ type: 'write', target: `${name}/${i}.txt`, content: name })),
      });
    const [one, two] = await Promise.all([
      runCli(['run', '-'], { cwd: r.dir, input: batchOf('one') }),
      runCli(['run', '-'], { cwd: r.dir, input: batchOf('two') }),
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    // initial, then per batch its control-state commit and the batch commit
    expect(r.git('rev-list', '--count', 'HEAD').trim()).toBe('5');
    expect(r.git('log', '--format=%(trailers:key=Batch-Id,valueonly)').split('\n').filter(Boolean)).toHaveLength(2);
    expect(JSON.parse(r.read('batch-control.json')).budget.operations_used).toBe(400);
    expect(r.git('rev-list', '--merges', '--count', 'HEAD').trim()).toBe('0');
    expect(r.git('ls-files').trim().split('\n')).toHaveLength(401);
    expect(r.git('tag', '--list', 'batch/*').trim().split('\n')).toHaveLength(2);
    execFileSync('git', ['fsck', '--strict'], { cwd: r.dir });
  });

  it('writes a GitHub Actions job summary and ::error annotations', async () => {
    const r = repo({ 'a.txt': 'x' });
    const summary = join(r.dir, '.git', 'summary.md');
    writeFileSync(summary, '');
    const out = await runCli(['run', '-'], {
      cwd: r.dir,
      input: JSON.stringify({ operations: [{ type: 'replace', target: 'a.txt', find: 'absent', replace: '' }] }),
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(out.stdout).toContain('::error file=a.txt,title=REPLACE_NO_MATCH::');
    expect(readFileSync(summary, 'utf8')).toContain('— failed');
  });

  it('shows a progress bar on a terminal', async () => {
    const r = repo();
    const file = join(r.dir, '.git', 'tty.json');
    writeFileSync(file, BATCH);
    // script(1) gives the CLI a real pseudo-terminal.
    const screen = execFileSync('script', ['-qec', `${process.execPath} ${CLI} run ${file} --repo ${r.dir}`, '/dev/null'], {
      encoding: 'utf8',
    });
    expect(screen).toMatch(/2\/2 done, 0 failed \| \d+ ops\/s \| ETA/);
    expect(screen).toContain('completed');
  });
});
