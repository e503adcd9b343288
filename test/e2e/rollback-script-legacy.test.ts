// scripts/rollback-batch.sh --legacy (issue 10 §4, docs/lifecycle.md#legacy-batch-ids): the registry's
// `batch_id: YYYY-MM-DD` lines on batch/* side branches squash-merged into main, one id on two
// batches. A repeated id is listed and refused (exit 2, BATCH_AMBIGUOUS) until --commit chooses one of its commits;
// the revert is the one batchctl rollback --legacy makes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { engineFor } from '../helpers/engine.js';
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

function script(repo: TestRepo, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(join(bin, 'bash'), [SCRIPT, ...args], {
    cwd: repo.dir,
    encoding: 'utf8',
    env: { ...GIT_ENV, GITHUB_ACTOR: '', PATH: bin },
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const FILES = { 'recipes/a.toml': 'a = 1\n', 'recipes/b.toml': 'b = 1\n', 'recipes/c.toml': 'c = 1\n' };
const ID = '2025-03-14';

/** Two batches of id 2025-03-14 (and one of 2025-03-14-001) on side branches, each squash-merged into main. */
function legacyRepo(): { repo: TestRepo; first: string; second: string; third: string } {
  const repo = gitRepo(FILES);
  cleanups.push(() => removeRepo(repo));
  const side = (branch: string, file: string, id: string): string => {
    repo.git('checkout', '-q', '-b', branch, 'main');
    repo.write(file, `${file} = 2\n`);
    const commit = repo.commitAll(`registry batch ${branch}\n\nbatch_id: ${id}`);
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '--squash', '-q', branch);
    repo.git('commit', '-q', '-m', `Squashed ${branch}`);
    return commit;
  };
  const first = side('batch/2025-03-14', 'recipes/a.toml', ID);
  const second = side('batch/2025-03-14-again', 'recipes/b.toml', ID);
  const third = side('batch/2025-03-14-001', 'recipes/c.toml', '2025-03-14-001');
  return { repo, first, second, third };
}

describe('scripts/rollback-batch.sh --legacy', () => {
  it('lists both commits of a repeated id (commit, date, subject) and refuses with exit 2 (BATCH_AMBIGUOUS), changing nothing', () => {
    const { repo, first, second, third } = legacyRepo();
    const before = repo.snapshot();
    for (const args of [
      [ID, '--legacy'],
      [ID, '--legacy', '--dry-run'],
    ]) {
      const out = script(repo, ...args);
      expect(out.code).toBe(2);
      for (const commit of [first, second]) {
        expect(out.stderr).toContain(commit.slice(0, 12));
        expect(out.stderr).toContain(`registry batch batch/2025-03-14`);
        expect(out.stderr).toContain(repo.git('log', '-1', '--format=%cI', commit).trim());
      }
      expect(out.stderr).not.toContain(third.slice(0, 12)); // 2025-03-14-001 is another id, not a match
      expect(repo.snapshot()).toBe(before);
    }
  });

  it('with --commit reverts exactly that commit on main, as batchctl rollback --legacy does', async () => {
    const { repo, first, second } = legacyRepo();
    const twin = gitRepo();
    cleanups.push(() => removeRepo(twin));
    twin.git('fetch', '-q', '--update-head-ok', repo.dir, '+refs/*:refs/*');
    twin.git('reset', '-q', '--hard', 'main');
    const main = repo.head();

    const out = script(repo, ID, '--legacy', '--commit', second.slice(0, 9));
    expect(out.code).toBe(0);
    expect(repo.git('symbolic-ref', '--short', 'HEAD').trim()).toBe('main');
    expect(repo.git('rev-parse', 'HEAD~1').trim()).toBe(main);
    expect(repo.git('diff', '--name-only', main, 'HEAD').trim()).toBe('recipes/b.toml');
    expect(repo.read('recipes/b.toml')).toBe(FILES['recipes/b.toml']);
    expect(repo.read('recipes/a.toml')).toBe('recipes/a.toml = 2\n');
    expect(repo.git('rev-parse', `batch/2025-03-14^{commit}`).trim()).toBe(first); // the side branches stay
    const trailers = repo.git('log', '-1', '--format=%(trailers:only,unfold)');
    for (const key of ['Batch-Id: b-', 'Batch-Ecosystem: default', 'Batch-Operations: 1', 'Batch-Failed: 0', `Reverts-Batch: ${ID}`])
      expect(trailers).toContain(key);
    // no rollback/<id>: a legacy id may name several batches; the new batch's own tag only
    const newId = repo.git('log', '-1', '--format=%(trailers:key=Batch-Id,valueonly)').trim();
    expect(repo.git('tag', '--list', 'rollback/*').trim()).toBe('');
    expect(repo.git('tag', '--points-at', 'HEAD').trim()).toBe(`batch/${newId}`);
    expect(repo.git('status', '--porcelain').trim()).toBe('');

    const engine = await engineFor(twin);
    try {
      await engine.rollback(ID, { legacy: { commit: second }, push: false });
    } finally {
      await engine.close();
    }
    expect(repo.git('rev-parse', 'HEAD^{tree}').trim()).toBe(twin.git('rev-parse', 'HEAD^{tree}').trim());
    expect(twin.git('tag', '--list', 'rollback/*').trim()).toBe('');

    const again = script(repo, ID, '--legacy', '--commit', second); // twice: nothing left to revert
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to revert');
  });

  it('exits 5 for a legacy id no commit on any ref names, and matches the whole line only', () => {
    const { repo } = legacyRepo();
    const before = repo.snapshot();
    for (const id of ['2025-03-15', '2025-03-14-0', '2025-03-14-00']) {
      const out = script(repo, id, '--legacy');
      expect(out.code).toBe(5);
      expect(out.stderr).toContain(`batch_id: ${id}`);
    }
    expect(script(repo, '2025-03-14-001', '--legacy', '--dry-run').code).toBe(0); // a single match needs no --commit
    expect(repo.snapshot()).toBe(before);
  });

  it('refuses a --commit that is not one of the matches (exit 5, listing them, a malformed sha included) and a malformed id (exit 2)', () => {
    const { repo, first, second, third } = legacyRepo();
    const before = repo.snapshot();
    for (const pick of [third, third.slice(0, 8), repo.head(), 'deadbeef']) {
      const out = script(repo, ID, '--legacy', '--commit', pick);
      expect(out.code).toBe(5);
      for (const commit of [first, second]) expect(out.stderr).toContain(commit.slice(0, 12));
    }
    expect(script(repo, ID, '--legacy', '--commit', 'HEAD').code).toBe(5);
    expect(script(repo, ID, '--legacy', '--commit', first.slice(0, 6)).code).toBe(5); // too short to be a sha
    expect(script(repo, '14-03-2025', '--legacy').code).toBe(2);
    expect(script(repo, ID).code).toBe(2); // a legacy id without --legacy
    expect(script(repo, 'b-20261122-101500-7k3m9q', '--commit', first).code).toBe(2); // --commit goes with --legacy
    expect(repo.snapshot()).toBe(before);
  });

  it('keeps the safety checks: a dirty work tree and a shallow clone missing the commit (exit 2, as batchctl)', () => {
    const { repo, second } = legacyRepo();
    repo.write('recipes/a.toml', 'uncommitted\n');
    const dirty = repo.snapshot();
    expect(script(repo, ID, '--legacy', '--commit', second).code).toBe(2);
    expect(repo.snapshot()).toBe(dirty);
    repo.git('checkout', '-q', '--', 'recipes/a.toml');

    // actions/checkout's clone: depth 1, main only — the batch/* branches and their commits are absent
    const shallow = shallowClone(repo, { depth: 1, tags: false });
    cleanups.push(() => shallow.cleanup());
    const before = shallow.clone.snapshot();
    const out = script(shallow.clone, ID, '--legacy', '--commit', second);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--unshallow');
    expect(shallow.clone.snapshot()).toBe(before);
  });
});
