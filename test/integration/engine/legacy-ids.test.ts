// Legacy batch ids: `batch_id: <id>` lines on batch/* side branches, squash-merged into main without
// the line, one id on two batches. Matched whole, across branches; a repeated id is refused until a
// commit is chosen.
import { describe, expect, it } from 'vitest';

import { useEngineRepos } from '../../helpers/engine.js';
import type { TestRepo } from '../../helpers/git-repo.js';

const setup = useEngineRepos();

/** Two batches of id 2025-03-14 (and one of 2025-03-14-001) on side branches, each squash-merged into main. */
function legacyHistory(repo: TestRepo): { first: string; second: string; third: string } {
  const side = (branch: string, file: string, content: string, id: string): string => {
    repo.git('checkout', '-q', '-b', branch, 'main');
    repo.write(file, content);
    const commit = repo.commitAll(`registry batch ${branch}\n\nbatch_id: ${id}`);
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '--squash', '-q', branch);
    repo.git('commit', '-q', '-m', `Squashed ${branch}`);
    return commit;
  };
  const first = side('batch/2025-03-14', 'recipes/a.toml', 'a = 2\n', '2025-03-14');
  const second = side('batch/2025-03-14-again', 'recipes/b.toml', 'b = 2\n', '2025-03-14');
  const third = side('batch/2025-03-14-001', 'recipes/c.toml', 'c = 2\n', '2025-03-14-001');
  return { first, second, third };
}

const FILES = { 'recipes/a.toml': 'a = 1\n', 'recipes/b.toml': 'b = 1\n', 'recipes/c.toml': 'c = 1\n' };

describe('legacy batch ids', () => {
  it('finds a legacy id on a side branch by its whole line, and lists a repeated one instead of choosing', async () => {
    const { repo, engine } = await setup(FILES);
    const { first, second, third } = legacyHistory(repo);
    expect(await engine.legacy({ id: '2025-03-14-001' })).toMatchObject({ commit: third, subject: 'registry batch batch/2025-03-14-001' });
    const ambiguous = (await engine.legacy({ id: '2025-03-14' }).catch((error: unknown) => error)) as {
      code: string;
      data: { candidates: Array<{ commit: string; date: string; subject: string }> };
    };
    expect(ambiguous.code).toBe('BATCH_AMBIGUOUS');
    expect(ambiguous.data.candidates.map((c) => c.commit).sort()).toEqual([first, second].sort());
    expect(ambiguous.data.candidates.every((c) => c.date !== '' && c.subject.startsWith('registry batch'))).toBe(true);
    expect(await engine.legacy({ id: '2025-03-14', commit: first.slice(0, 10) })).toMatchObject({ commit: first });
    await expect(engine.legacy({ id: '2025-03-14', commit: third })).rejects.toMatchObject({ code: 'BATCH_NOT_FOUND' });
    await expect(engine.legacy({ id: '2025-03-15' })).rejects.toMatchObject({ code: 'BATCH_NOT_FOUND' });
    await expect(engine.legacy({ id: 'b-20250314-000000-abcdef' })).rejects.toMatchObject({ code: 'BATCH_ID_INVALID' });
  });

  it('refuses to roll back a repeated legacy id without --commit, then reverts the chosen commit on main', async () => {
    const { repo, engine } = await setup(FILES);
    const { first } = legacyHistory(repo);
    const before = repo.snapshot();
    await expect(engine.rollback('2025-03-14', { legacy: {} })).rejects.toMatchObject({ code: 'BATCH_AMBIGUOUS' });
    expect(repo.snapshot()).toBe(before);

    const result = await engine.rollback('2025-03-14', { legacy: { commit: first } });
    expect(result).toMatchObject({ success: true, restored: ['recipes/a.toml'], tag: null });
    expect(repo.read('recipes/a.toml')).toBe('a = 1\n');
    expect(repo.read('recipes/b.toml')).toBe('b = 2\n');
    expect(repo.git('log', '-1', '--format=%(trailers:key=Reverts-Batch,valueonly)').trim()).toBe('2025-03-14');
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
  });
});
