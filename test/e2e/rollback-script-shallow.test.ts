// scripts/rollback-batch.sh in shallow clones and against reverts wider than their batch (issue 10 §1),
// and who it records (§5): refuses (exit 2: SHALLOW_CLONE, ROLLBACK_UNSAFE, as batchctl) with the repository unchanged, or with
// --fetch deepens and reverts only the batch's paths.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { batch, engineFor } from '../helpers/engine.js';
import { GIT_ENV, gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { shallowClone } from '../helpers/shallow-clone.js';
import { useNodelessPath } from '../helpers/nodeless-path.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/rollback-batch.sh', import.meta.url));
// A PATH with git and bash only: the incident script must not need Node.
const bin = useNodelessPath();

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function script(repo: TestRepo, args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(join(bin, 'bash'), [SCRIPT, ...args], {
    cwd: repo.dir,
    encoding: 'utf8',
    env: { ...GIT_ENV, GITHUB_ACTOR: '', ...env, PATH: bin },
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const FILES = {
  'recipes/a.toml': 'name = "a"\nversion = "1"\n',
  'recipes/b.toml': 'name = "b"\n',
  'README.md': 'registry\n',
};

async function batchedOrigin({ later = true }: { later?: boolean } = {}): Promise<{ origin: TestRepo; id: string }> {
  const origin = gitRepo(FILES);
  cleanups.push(() => removeRepo(origin));
  const engine = await engineFor(origin);
  try {
    const { batch_id, status } = await engine.run(
      batch({
        operations: [
          { type: 'replace', target: 'recipes/a.toml', find: 'version = "1"', replace: 'version = "2"' },
          { type: 'write', target: 'recipes/new.toml', content: 'name = "new"\n' },
        ],
      }),
    );
    expect(status).toBe('completed');
    if (later) {
      origin.write('README.md', 'registry, later\n');
      origin.commitAll('a later, unrelated commit');
    }
    return { origin, id: batch_id };
  } finally {
    await engine.close();
  }
}

describe.each([
  { depth: 1, tags: true, later: true },
  { depth: 1, tags: false, later: true },
  { depth: 2, tags: true, later: true },
  { depth: 2, tags: false, later: true },
  { depth: 1, tags: true, later: false },
  { depth: 1, tags: false, later: false },
])('scripts/rollback-batch.sh in a depth-$depth clone (tags: $tags, later commit: $later)', ({ depth, tags, later }) => {
  it('exits 2 naming the fix, dry run included, and changes nothing', async () => {
    const { origin, id } = await batchedOrigin({ later });
    const shallow = shallowClone(origin, { depth, tags });
    cleanups.push(() => shallow.cleanup());
    const before = shallow.clone.snapshot();
    const dry = script(shallow.clone, [id, '--dry-run']);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('git fetch --unshallow');
    expect(script(shallow.clone, [id]).code).toBe(2);
    expect(shallow.clone.snapshot()).toBe(before);
  });

  it('with --fetch, reverts only the batch', async () => {
    const { origin, id } = await batchedOrigin({ later });
    const shallow = shallowClone(origin, { depth, tags });
    cleanups.push(() => shallow.cleanup());
    const { clone } = shallow;
    const head = clone.head();
    const out = script(clone, [id, '--fetch']);
    expect(out.code).toBe(0);
    expect(clone.git('diff', '--name-only', head, 'HEAD').trim().split('\n')).toEqual(['recipes/a.toml', 'recipes/new.toml']);
    expect(clone.read('recipes/a.toml')).toBe(FILES['recipes/a.toml']);
    expect(clone.read('recipes/b.toml')).toBe(FILES['recipes/b.toml']);
    expect(clone.git('status', '--porcelain')).toBe('');
  });
});

describe('scripts/rollback-batch.sh and a revert wider than its batch', () => {
  it('exits 2 when a commit changed more paths than its Batch-Operations allow, dry run included', () => {
    const repo = gitRepo(FILES);
    cleanups.push(() => removeRepo(repo));
    const id = 'b-20261122-101500-7k3m9q';
    repo.write('recipes/a.toml', 'changed\n');
    repo.write('recipes/b.toml', 'changed\n');
    repo.write('README.md', 'changed\n');
    repo.commitAll(`one operation\n\nBatch-Id: ${id}\nBatch-Ecosystem: npm\nBatch-Operations: 1\nBatch-Failed: 0\nBatch-Requested-By: x`);
    const before = repo.snapshot();
    expect(script(repo, [id, '--dry-run']).code).toBe(2);
    expect(script(repo, [id]).code).toBe(2);
    expect(repo.snapshot()).toBe(before);
  });
});

describe('scripts/rollback-batch.sh and a revert outside its batch', () => {
  it('exits 2 when git revert would stage a path the batch did not change (it follows a later rename)', async () => {
    const { origin, id } = await batchedOrigin();
    origin.git('mv', 'recipes/a.toml', 'recipes/renamed.toml');
    origin.commitAll('rename a.toml');
    const before = origin.snapshot();
    const out = script(origin, [id]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('recipes/renamed.toml');
    expect(origin.snapshot()).toBe(before);
  });
});

describe('scripts/rollback-batch.sh records who ran it, and commits as batchctl does', () => {
  it.each<{ args: string[]; env: Record<string, string>; by: string }>([
    { args: ['--by', 'alice'], env: { GITHUB_ACTOR: 'octocat' }, by: 'alice' },
    { args: [], env: { GITHUB_ACTOR: 'octocat' }, by: 'octocat' },
    { args: [], env: {}, by: 'Config Name' },
  ])('Batch-Requested-By: $by', async ({ args, env, by }) => {
    const { origin, id } = await batchedOrigin();
    origin.git('config', 'user.name', 'Config Name');
    expect(script(origin, [id, ...args], env).code).toBe(0);
    expect(origin.git('log', '-1', '--format=%(trailers:key=Batch-Requested-By,valueonly)').trim()).toBe(by);
    // the same identity as the batch commit batchctl made
    expect(origin.git('log', '-1', '--format=%an <%ae>|%cn <%ce>').trim()).toBe(
      origin.git('log', '-1', '--format=%an <%ae>|%cn <%ce>', `batch/${id}`).trim(),
    );
  });

  it('exits 3 when the batch was rolled back already, as batchctl rollback does (ALREADY_ROLLED_BACK)', async () => {
    const { origin, id } = await batchedOrigin();
    const engine = await engineFor(origin);
    try {
      await engine.rollback(id);
      await expect(engine.rollback(id)).rejects.toMatchObject({ code: 'ALREADY_ROLLED_BACK', exitCode: 3 });
    } finally {
      await engine.close();
    }
    expect(script(origin, [id]).code).toBe(3);
  });
});
