// `batchctl rollback` in a depth-1 clone (issue 10 §1, §5): exit 2 with SHALLOW_CLONE and nothing
// changed; with --fetch it deepens and reverts only the batch, recording --by as Batch-Requested-By.
import { afterEach, describe, expect, it } from 'vitest';

import { batch, engineFor } from '../helpers/engine.js';
import { gitRepo, removeRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';
import { shallowClone } from '../helpers/shallow-clone.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const ENV = { BATCHCTL_LOG_LEVEL: 'silent', GITHUB_ACTOR: 'octocat' };

describe('batchctl rollback in a shallow clone', () => {
  it('refuses with SHALLOW_CLONE (exit 2); with --fetch --by it reverts only the batch', async () => {
    const origin = gitRepo({ 'recipes/a.toml': 'v1\n', 'recipes/b.toml': 'b\n' });
    cleanups.push(() => removeRepo(origin));
    const engine = await engineFor(origin);
    const { batch_id: id } = await engine.run(batch({ operations: [{ type: 'write', target: 'recipes/a.toml', content: 'v2\n' }] }));
    await engine.close();
    origin.write('README.md', 'later\n');
    origin.commitAll('later');
    const shallow = shallowClone(origin, { depth: 1, tags: true });
    cleanups.push(() => shallow.cleanup());
    const { clone } = shallow;

    const before = clone.snapshot();
    const refused = await runCli(['rollback', id, '--paths', 'recipes/**', '--json'], { cwd: clone.dir, env: ENV });
    expect(refused.code).toBe(2);
    expect(jsonLines(refused.stdout)[0]).toMatchObject({ error: { code: 'SHALLOW_CLONE' } });
    expect(clone.snapshot()).toBe(before);

    const head = clone.head();
    const done = await runCli(['rollback', id, '--fetch', '--by', 'alice'], { cwd: clone.dir, env: ENV });
    expect(done.code).toBe(0);
    expect(clone.git('diff', '--name-only', head, 'HEAD').trim()).toBe('recipes/a.toml');
    expect(clone.read('recipes/a.toml')).toBe('v1\n');
    expect(clone.git('log', '-1', '--format=%(trailers:key=Batch-Requested-By,valueonly)').trim()).toBe('alice');
  });
});
