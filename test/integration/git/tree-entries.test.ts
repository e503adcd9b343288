// treeEntries lists a commit's entries for some paths: by pathspec for a few, by one listing of the
// whole tree for many. Both routes must give exactly the same answer.
import { describe, expect, it } from 'vitest';

import { createRunner } from '../../../controller/git/index.js';
import { treeEntries } from '../../../controller/git/worktree-state.js';
import { gitRepo, removeRepo } from '../../helpers/git-repo.js';

describe('treeEntries', () => {
  it('answers the same by pathspecs and by one whole-tree listing', async () => {
    const files: Record<string, string> = { 'top.txt': 'top\n', 'a b/é.txt': 'unicode\n' };
    for (let i = 0; i < 300; i++) files[`d${i % 7}/f${i}.txt`] = `${i}\n`;
    const repo = gitRepo(files, { control: false });
    try {
      const commit = repo.commitAll('files');
      const runner = createRunner({ cwd: repo.dir, identity: { name: 't', email: 't@example.com' } });
      const asked = [
        'top.txt',
        'a b/é.txt',
        'd3/f3.txt',
        'd3/f10.txt',
        'missing.txt',
        'd1',
        ...Array.from({ length: 200 }, (_, i) => `d${i % 7}/f${i}.txt`),
      ];
      const byPathspec = await treeEntries(runner, commit, asked, 0);
      const byListing = await treeEntries(runner, commit, asked, 1_000_000); // paths × size over the limit
      // Callers look up the paths they asked for (a pathspec naming a directory also lists what is below it).
      for (const path of asked) expect([path, byListing.get(path)]).toEqual([path, byPathspec.get(path)]);
      expect(byPathspec.get('a b/é.txt')).toMatchObject({ mode: '100644' });
      expect(byPathspec.has('missing.txt')).toBe(false);
      expect(byListing.has('d1')).toBe(false); // a directory is not a file entry (-r)
      expect(byListing.size).toBe(new Set(asked.filter((path) => path in files)).size);
    } finally {
      removeRepo(repo);
    }
  });
});
