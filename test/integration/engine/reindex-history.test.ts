// reindex reads what happened to a batch after it landed: a rollback by scripts/rollback-batch.sh,
// and a squash merge of the branch the batch was committed on (docs/lifecycle.md#reindex).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { openEngine } from '../../../controller/app/index.js';
import type { Engine } from '../../../controller/engine/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { GIT_ENV, type TestRepo } from '../../helpers/git-repo.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/rollback-batch.sh', import.meta.url));
const setup = useEngineRepos();
const FILES = { 'f.txt': 'line1\nline2\n', 'k.txt': 'keep\n' };
const OPS = batch({
  operations: [
    { type: 'replace', target: 'f.txt', find: 'line1', replace: 'LINE1' },
    { type: 'write', target: 'n.txt', content: 'new\n' },
  ],
});

/** An engine on the repository with a database of its own, empty until reindexed. */
async function freshEngine(repo: TestRepo, name: string): Promise<Engine> {
  return openEngine({
    repo: repo.dir,
    db: join(repo.dir, '.git', `${name}.db`),
    env: { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'batchctl@localhost' },
  });
}

async function reindexedStatus(repo: TestRepo, name: string, id: string): Promise<Record<string, unknown>> {
  const fresh = await freshEngine(repo, name);
  try {
    await fresh.reindex();
    return { ...fresh.status(id).batch };
  } finally {
    await fresh.close();
  }
}

describe('reindex after scripts/rollback-batch.sh', () => {
  it('marks the original batch rolled back, in the database that ran it and in a fresh one', async () => {
    const { repo, engine } = await setup(FILES);
    const original = await engine.run(OPS);
    const out = spawnSync('bash', [SCRIPT, original.batch_id], { cwd: repo.dir, encoding: 'utf8', env: GIT_ENV });
    expect(out.status).toBe(0);
    expect(engine.status(original.batch_id).batch.status).toBe('completed'); // the script wrote no row

    await engine.reindex();
    expect(engine.status(original.batch_id).batch.status).toBe('rolled_back');
    expect(engine.list({ limit: 10 }).find((b) => b.batch_id === original.batch_id)?.status).toBe('rolled_back');
    expect(await reindexedStatus(repo, 'fresh', original.batch_id)).toMatchObject({ status: 'rolled_back' });
  });
});

describe('reindex after a squash merge', () => {
  it('moves batch/<id> to the squash commit on the branch and records that commit', async () => {
    const { repo, engine } = await setup(FILES);
    repo.git('checkout', '-q', '-b', 'batch/side');
    const landed = await engine.run(OPS);
    const sideCommit = repo.git('rev-parse', 'HEAD').trim();
    expect(landed.commit).toBe(sideCommit);
    const tagName = `batch/${landed.batch_id}`;
    const tagMessage = repo.git('tag', '-l', '--format=%(contents)', tagName);
    repo.git('checkout', '-q', 'main');
    repo.write('k.txt', 'keep, edited on main\n');
    repo.commitAll('main moved on');
    repo.git('merge', '--squash', '-q', 'batch/side');
    const message = repo.git('log', '-1', '--format=%B', sideCommit);
    spawnSync('git', ['commit', '-q', '-F', '-'], { cwd: repo.dir, input: message, env: GIT_ENV });
    const squash = repo.git('rev-parse', 'HEAD').trim();
    expect(squash).not.toBe(sideCommit);

    await engine.reindex();
    expect(repo.git('rev-parse', `refs/tags/${tagName}^{commit}`).trim()).toBe(squash);
    expect(repo.git('cat-file', '-t', `refs/tags/${tagName}`).trim()).toBe('tag');
    expect(repo.git('tag', '-l', '--format=%(contents)', tagName)).toBe(tagMessage);
    expect(engine.status(landed.batch_id).batch).toMatchObject({ commit_sha: squash, tag: tagName, status: 'completed' });
    expect(await reindexedStatus(repo, 'fresh', landed.batch_id)).toMatchObject({ commit_sha: squash, tag: tagName });

    // Once moved, the tag is where it belongs: a second reindex leaves it alone.
    const moved = repo.git('rev-parse', `refs/tags/${tagName}`);
    await engine.reindex();
    expect(repo.git('rev-parse', `refs/tags/${tagName}`)).toBe(moved);
  });

  it('leaves a tag alone when its commit is on the branch (a real merge)', async () => {
    const { repo, engine } = await setup(FILES);
    repo.git('checkout', '-q', '-b', 'batch/side');
    const landed = await engine.run(OPS);
    repo.git('checkout', '-q', 'main');
    repo.write('k.txt', 'keep, edited on main\n');
    repo.commitAll('main moved on');
    repo.git('merge', '-q', '--no-ff', '-m', 'merge the batch', 'batch/side');
    const before = repo.git('rev-parse', `refs/tags/batch/${landed.batch_id}`);
    await engine.reindex();
    expect(repo.git('rev-parse', `refs/tags/batch/${landed.batch_id}`)).toBe(before);
    expect(engine.status(landed.batch_id).batch).toMatchObject({ commit_sha: landed.commit, tag: `batch/${landed.batch_id}` });
  });
});
