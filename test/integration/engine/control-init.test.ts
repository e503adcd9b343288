// batchctl init (issue 9 A13): the control file and the schema its $schema names are written and
// committed alone (Control-Change: init); the user's other work stays where it was; where a commit
// would cut across a git operation, the files are written and the result says they must be committed.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { controlFileJsonSchema } from '../../../controller/control/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';

const setup = useEngineRepos();
const FILES = ['batch-control.json', 'batch-control.schema.json'];

describe('batchctl init', () => {
  it('commits the control file and its schema alone, leaving staged, unstaged and untracked work as it was', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { control: false });
    const before = repo.head();
    repo.write('a.txt', 'a, staged\n');
    repo.write('c.txt', 'new, staged\n');
    repo.git('add', 'a.txt', 'c.txt');
    repo.write('b.txt', 'b, not staged\n');
    repo.write('d.txt', 'untracked\n');
    const status = repo.git('status', '--porcelain');

    const result = await engine.init();
    expect(result).toMatchObject({ created: true, not_committed: null, commit: repo.head() });
    expect(repo.git('rev-parse', 'HEAD^').trim()).toBe(before);
    expect(repo.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly)').trim()).toBe('init');
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(FILES);
    expect(repo.git('show', 'HEAD:a.txt')).toBe('a\n');
    // The user's work: exactly as before (the control files, committed, no longer show up).
    expect(repo.git('status', '--porcelain')).toBe(status);
    expect(repo.git('diff', '--cached', '--name-status')).toBe('M\ta.txt\nA\tc.txt\n');
    expect(
      engine
        .events({ limit: 10 })
        .filter((e) => e.type === 'control_changed')
        .map((e) => e.data.change),
    ).toEqual(['init']);
  });

  it('writes a $schema that resolves, from the repository root, to the committed schema', async () => {
    const { repo, engine } = await setup({}, { control: false });
    await engine.init();
    const schemaRef = (JSON.parse(repo.read('batch-control.json')) as { $schema: string }).$schema;
    const schemaPath = resolve(repo.dir, schemaRef); // the control file sits at the root
    expect(existsSync(schemaPath)).toBe(true);
    expect(readFileSync(schemaPath, 'utf8')).toBe(controlFileJsonSchema());
    expect(repo.git('show', `HEAD:${schemaRef.replace(/^\.\//, '')}`)).toBe(controlFileJsonSchema());
    expect((await engine.run(batch({ operations: [{ type: 'write', target: 'x.txt', content: 'x' }] }))).status).toBe('completed');
  });

  it('writes but does not commit during a merge, and says so', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'base\n' }, { control: false });
    repo.git('checkout', '-q', '-b', 'side');
    repo.write('a.txt', 'side\n');
    repo.commitAll('side');
    repo.git('checkout', '-q', 'main');
    repo.write('a.txt', 'main\n');
    repo.commitAll('main');
    expect(() => repo.git('merge', '-q', 'side')).toThrow(); // a conflict: MERGE_HEAD stays
    const head = repo.head();
    const result = await engine.init();
    expect(result).toMatchObject({ created: true, commit: null, not_committed: expect.stringContaining('merge') });
    expect(repo.head()).toBe(head);
    for (const file of FILES) expect(existsSync(resolve(repo.dir, file))).toBe(true);
  });

  it('does not commit on a detached HEAD', async () => {
    const { repo, engine } = await setup({}, { control: false });
    repo.git('checkout', '-q', '--detach');
    const head = repo.head();
    expect(await engine.init()).toMatchObject({ created: true, commit: null, not_committed: expect.stringContaining('detached') });
    expect(repo.head()).toBe(head);
  });

  it('makes no second commit when HEAD already holds the files, and leaves a valid file alone', async () => {
    const { repo, engine } = await setup({}, { control: false });
    const first = await engine.init();
    expect(await engine.init({ force: true })).toMatchObject({ created: true, commit: null, not_committed: null });
    expect(await engine.init()).toMatchObject({ created: false, commit: null });
    expect(repo.head()).toBe(first.commit);
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
