// Settings wiped by another writer, from the command line (issue 10 §3, docs/control-file.md#other-writers):
// every command warns while batchctl's settings are missing, once, and an unmoved HEAD costs no history search.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { shallowClone } from '../helpers/shallow-clone.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

const BOT = 'Registry Bot <bot@example.com>';
const BATCH = JSON.stringify({ title: 'w', ecosystem: 'npm', operations: [{ type: 'write', target: 'out/a.txt', content: 'a\n' }] });
const UNKNOWN_ID = 'b-20261122-101500-7k3m9q';

/** A repository whose control file had a protected path, then a typed rewriter's commit dropped `policy`. */
function wipedByBot(): { r: TestRepo; wipe: string } {
  const r = gitRepo({ 'a.txt': 'v1\n' });
  cleanup.push(() => removeRepo(r));
  const control = JSON.parse(r.read('batch-control.json')) as Record<string, unknown> & { policy: { protected_paths: string[] } };
  control.policy.protected_paths = [...control.policy.protected_paths, 'secret/**'];
  r.write('batch-control.json', `${JSON.stringify(control, null, 2)}\n`);
  r.commitAll('protect secret/');
  delete (control as Record<string, unknown>).policy;
  r.write('batch-control.json', `${JSON.stringify(control)}\n`);
  r.git('commit', '-q', `--author=${BOT}`, '-m', 'bot: update breakers', '--', 'batch-control.json');
  return { r, wipe: r.head() };
}

const warnings = (stderr: string, commit: string): string[] =>
  stderr.split('\n').filter((line) => line.startsWith(`batchctl: warning: batch-control.json: commit ${commit.slice(0, 12)} by ${BOT}`));

describe('settings removed by another writer', () => {
  it('are warned about, once, by every command', async () => {
    const { r, wipe } = wipedByBot();
    const commands: Array<{ args: string[]; input?: string }> = [
      { args: ['status'] },
      { args: ['status', UNKNOWN_ID] },
      { args: ['list'] },
      { args: ['validate', '-'], input: BATCH },
      { args: ['rollback', UNKNOWN_ID] },
      { args: ['retry', UNKNOWN_ID] },
      { args: ['stop', '--reason', 'incident 7'] },
      { args: ['resume'] },
      { args: ['reindex'] },
      { args: ['recover'] },
      { args: ['init'] },
      { args: ['purge', '--dry-run'] },
      { args: ['control'] },
      { args: ['sli'] },
      { args: ['run', '-'], input: BATCH },
      { args: ['list', '--json'] },
    ];
    for (const { args, input } of commands) {
      const out = await runCli(args, { cwd: r.dir, ...(input ? { input } : {}) });
      expect(warnings(out.stderr, wipe), `batchctl ${args.join(' ')}: ${out.stderr}`).toHaveLength(1);
      expect(warnings(out.stderr, wipe)[0]).toContain('removed policy');
    }
  });

  it('stops warning once the settings are back, and a command on an unmoved HEAD searches no history', async () => {
    const { r, wipe } = wipedByBot();
    // A git that logs each command it runs, real git underneath.
    const bin = mkdtempSync(join(tmpdir(), 'batchctl-gitlog-'));
    cleanup.push(() => rmSync(bin, { recursive: true, force: true }));
    const log = join(bin, 'calls.log');
    const realGit = execFileSync('bash', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'git'), `#!/bin/bash\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    // batchctl's git calls start with `-c key=value` pairs; the subcommand is the first word after them.
    const historySearches = (): number =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => / log -\d+ /.test(` ${line.replace(/(^|\s)-c \S+/g, '')} `)).length;

    expect(warnings((await runCli(['list'], { cwd: r.dir, env })).stderr, wipe)).toHaveLength(1);
    const first = historySearches();
    expect(first).toBe(1);
    expect(warnings((await runCli(['list'], { cwd: r.dir, env })).stderr, wipe)).toHaveLength(1);
    expect(historySearches()).toBe(first);

    r.git('checkout', '-q', `${wipe}~1`, '--', 'batch-control.json');
    r.git('commit', '-q', '-m', 'restore the policy', '--', 'batch-control.json');
    const after = await runCli(['list'], { cwd: r.dir, env });
    expect(after.code).toBe(0);
    expect(after.stderr).not.toContain('batchctl: warning:');
  });

  it('are not judged at the edge of a shallow clone, and are once its history is deepened', async () => {
    const { r, wipe } = wipedByBot();
    const shallow = shallowClone(r, { depth: 1, tags: false }); // the wiping commit is the clone's edge
    cleanup.push(() => shallow.cleanup());
    const first = await runCli(['list'], { cwd: shallow.clone.dir });
    expect(first.code, first.stderr).toBe(0);
    expect(warnings(first.stderr, wipe)).toHaveLength(0); // no parent here: nothing invented
    shallow.clone.git('fetch', '-q', '--deepen=1', 'origin'); // HEAD stays where it was
    expect(warnings((await runCli(['list'], { cwd: shallow.clone.dir })).stderr, wipe)).toHaveLength(1);
  });
});
