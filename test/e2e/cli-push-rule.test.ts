// The push rule from the command line (docs/lifecycle.md#gitops-push): --no-push on every command that
// commits keeps the remote as it was; the next command without it publishes everything, tags included.
import { tmpdir } from 'node:os';

import { describe, expect, it } from 'vitest';

import { git, useRemoteRepos } from '../helpers/remote-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const withRemote = useRemoteRepos();

const FAILING = JSON.stringify({
  title: 'fails',
  ecosystem: 'npm',
  options: { atomic: true },
  operations: [
    { type: 'write', target: 'new.txt', content: 'new\n' },
    { type: 'replace', target: 'a.txt', find: 'later', replace: 'LATER' },
  ],
});
const WRITE = JSON.stringify({ title: 'w', ecosystem: 'npm', operations: [{ type: 'write', target: 'a.txt', content: 'v2\n' }] });

describe('batchctl --no-push', () => {
  it('keeps the remote as it was for run, rollback, retry, stop, resume; a later push publishes it all with its tags', async () => {
    const { r, remote } = withRemote({ 'a.txt': 'v1\n' });
    const remoteHead = (): string => git(remote, 'rev-parse', 'main');
    const before = remoteHead();
    const cli = async (args: string[], input?: string): Promise<Record<string, unknown>> => {
      const out = await runCli([...args, '--json'], { cwd: r.dir, ...(input ? { input } : {}) });
      expect(out.code === 0 || out.code === 1, out.stderr).toBe(true);
      return jsonLines(out.stdout).at(-1) ?? {};
    };

    const failed = await cli(['run', '-', '--no-push'], FAILING);
    expect(failed).toMatchObject({ status: 'failed' });
    r.write('a.txt', 'v1 later\n');
    r.commitAll('make the replace possible');
    r.git('push', '-q', 'origin', 'main');
    const synced = remoteHead();
    expect(await cli(['retry', failed.batch_id as string, '--no-push'])).toMatchObject({ status: 'completed' });
    const run = await cli(['run', '-', '--no-push'], WRITE);
    const rolled = await cli(['rollback', run.batch_id as string, '--no-push']);
    expect(rolled).toMatchObject({ success: true });
    expect(await cli(['stop', '--reason', 'halt', '--no-push'])).toMatchObject({ changed: true });
    expect(await cli(['resume', '--no-push'])).toMatchObject({ changed: true });
    expect(remoteHead()).toBe(synced);
    expect(synced).not.toBe(before);
    expect(git(remote, 'tag', '--list')).toBe('');

    const stop = await cli(['stop', '--reason', 'publish it all']);
    expect(remoteHead()).toBe(stop.commit);
    // every batch made here, retry and rollback included, is there with its tag: the tags are the local ones
    expect(git(remote, 'tag', '--list')).toBe(r.git('tag', '--list').trim());
    expect(git(remote, 'tag', '--list').split('\n')).toEqual(
      expect.arrayContaining([
        `batch/${run.batch_id as string}`,
        `batch/${rolled.rollback_batch_id as string}`,
        `rollback/${run.batch_id as string}`,
      ]),
    );
  });

  it('init --no-push commits locally only; init publishes', async () => {
    const kept = withRemote({ 'a.txt': 'v1\n' }, { control: false });
    const before = git(kept.remote, 'rev-parse', 'main');
    const local = await runCli(['init', '--no-push'], { cwd: kept.r.dir });
    expect(local.code, local.stderr).toBe(0);
    expect(kept.r.head()).not.toBe(before);
    expect(git(kept.remote, 'rev-parse', 'main')).toBe(before);

    const { r, remote } = withRemote({ 'a.txt': 'v1\n' }, { control: false });
    const published = await runCli(['init'], { cwd: r.dir });
    expect(published.code, published.stderr).toBe(0);
    expect(git(remote, 'rev-parse', 'main')).toBe(r.head());
  });

  it.each([['run'], ['rollback'], ['retry'], ['stop'], ['resume'], ['init'], ['recover']])('%s --help states the rule', async (command) => {
    const help = await runCli([command, '--help'], { cwd: tmpdir() });
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain("publish to the branch's upstream unless --no-push");
  });
});
