import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { batch, engineFor } from '../helpers/engine.js';
import { GIT_ENV, gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { useNodelessPath } from '../helpers/nodeless-path.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/rollback-batch.sh', import.meta.url));
// A PATH with git and bash only: the incident script must not need Node.
const bin = useNodelessPath();

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

function script(repo: TestRepo, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(join(bin, 'bash'), [SCRIPT, ...args], { cwd: repo.dir, encoding: 'utf8', env: { ...GIT_ENV, PATH: bin } });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const FILES = { 'f.txt': 'line1\nline2\nline3\n', 'k.txt': 'keep\n' };
const OPS = batch({
  ecosystem: 'npm',
  operations: [
    { type: 'replace', target: 'f.txt', find: 'line1', replace: 'LINE1' },
    { type: 'write', target: 'n.txt', content: 'new\n' },
    { type: 'delete', target: 'k.txt' },
  ],
});

async function batchedRepo(): Promise<{ repo: TestRepo; id: string }> {
  const repo = gitRepo(FILES);
  repos.push(repo);
  const engine = await engineFor(repo);
  try {
    const { batch_id } = await engine.run(OPS);
    repo.write('f.txt', repo.read('f.txt').replace('line3', 'LINE3'));
    repo.commitAll('a later, unrelated edit');
    return { repo, id: batch_id };
  } finally {
    engine.close();
  }
}

describe('scripts/rollback-batch.sh (bash and git only)', () => {
  it('runs where there is no node on PATH', () => {
    expect(spawnSync(join(bin, 'bash'), ['-c', 'command -v node'], { env: { PATH: bin } }).status).not.toBe(0);
  });

  it('produces the same tree as batchctl rollback, with the same trailers and tags', async () => {
    const { repo, id } = await batchedRepo();
    const twin = gitRepo();
    repos.push(twin);
    twin.git('fetch', '-q', '--update-head-ok', repo.dir, '+refs/*:refs/*');
    twin.git('reset', '-q', '--hard', 'main');

    const out = script(repo, id, '--reason', 'bad\n  versions  shipped');
    expect(out.code).toBe(0);
    const engine = await engineFor(twin);
    try {
      await engine.rollback(id, { reason: 'bad\n  versions  shipped' });
    } finally {
      engine.close();
    }
    expect(repo.git('rev-parse', 'HEAD^{tree}')).toBe(twin.git('rev-parse', 'HEAD^{tree}'));
    const trailers = repo.git('log', '-1', '--format=%(trailers:only,unfold)');
    for (const key of [
      'Batch-Id: b-',
      'Batch-Ecosystem: npm',
      'Batch-Operations: 3',
      'Batch-Failed: 0',
      'Batch-Requested-By:',
      `Reverts-Batch: ${id}`,
      'Rollback-Reason: bad versions shipped',
    ]) {
      expect(twin.git('log', '-1', '--format=%(trailers:only,unfold)')).toContain(key);
      expect(trailers).toContain(key);
    }
    expect(repo.git('rev-parse', `rollback/${id}^{commit}`)).toBe(repo.git('rev-parse', 'HEAD'));
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(script(repo, id).code).toBe(3); // twice is refused
  });

  it('exits 4 on a conflict (ROLLBACK_CONFLICT, as batchctl) and leaves the tree clean', async () => {
    const { repo, id } = await batchedRepo();
    repo.write('f.txt', 'LINE1 again\nline2\nLINE3\n');
    repo.commitAll('same line changed');
    const before = repo.snapshot();
    const out = script(repo, id);
    expect(out.code).toBe(4);
    expect(out.stderr).toContain('f.txt');
    expect(repo.snapshot()).toBe(before);
  });

  it('exits 2 for an invalid id or usage, 5 for an unknown batch (as batchctl), and matches exactly', async () => {
    const { repo, id } = await batchedRepo();
    expect(script(repo, id.slice(0, -1)).code).toBe(2);
    expect(script(repo, `${id}x`).code).toBe(2);
    expect(script(repo, 'b-20200101-000000-aaaaaa').code).toBe(5);
    expect(script(repo, id, '--bogus').code).toBe(2);
    expect(script(repo).code).toBe(2);
  });

  it('finds batches written in the registry design older form (a batch_id line)', () => {
    const repo = gitRepo(FILES);
    repos.push(repo);
    const old = 'b-20250101-120000-abc123';
    repo.write('f.txt', 'changed\n');
    repo.commitAll(`registry batch\n\nbatch_id: ${old}`);
    repo.write('f.txt', 'again\n');
    repo.commitAll(`another batch\n\nbatch_id: ${old}0`.replace(`${old}0`, 'b-20250101-120000-abc1234'));
    expect(script(repo, old).code).toBe(4); // the later commit touched the same lines
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    expect(script(repo, old).code).toBe(0);
    expect(repo.read('f.txt')).toBe(FILES['f.txt']);
  });

  it('changes nothing with --dry-run and documents itself with --help', async () => {
    const { repo, id } = await batchedRepo();
    const before = repo.snapshot();
    const dry = script(repo, id, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('n.txt');
    expect(repo.snapshot()).toBe(before);
    const help = script(repo, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes');
  });

  it('pushes the branch and both tags atomically with --push', async () => {
    const { repo, id } = await batchedRepo();
    const remote = mkdtempSync(join(tmpdir(), 'batchctl-remote-'));
    try {
      repo.git('init', '-q', '--bare', remote);
      repo.git('remote', 'add', 'origin', remote);
      repo.git('push', '-q', 'origin', 'main', '--tags');
      const out = script(repo, id, '--push');
      expect(out.code).toBe(0);
      const remoteRefs = repo.git('ls-remote', 'origin');
      expect(remoteRefs).toContain(`${repo.head()}\trefs/heads/main`);
      expect(remoteRefs).toContain(`refs/tags/rollback/${id}`);
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });
});
