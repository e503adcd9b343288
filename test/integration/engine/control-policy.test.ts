// Policy settings that had no test of their own are read from the committed control file (issue 9 B:
// every policy field is either read or removed).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch, useEngineRepos } from '../../helpers/engine.js';

const setup = useEngineRepos();

describe('policy read from batch-control.json', () => {
  it('protects the paths of policy.protected_paths, and only those', async () => {
    const { repo, engine } = await setup({ 'locked/a.txt': 'a\n' });
    const file = join(repo.dir, 'batch-control.json');
    const control = JSON.parse(readFileSync(file, 'utf8')) as { policy: Record<string, unknown> };
    control.policy.protected_paths = ['batch-control.json', 'locked/**'];
    writeFileSync(file, JSON.stringify(control, null, 2));
    repo.commitAll('lock a folder');

    const validation = await engine.validate(batch({ operations: [{ type: 'write', target: 'locked/a.txt', content: 'b\n' }] }));
    expect(validation.issues.map((i) => i.code)).toEqual(['PATH_PROTECTED']);
    // .github/** is a default, dropped from this file's list: no longer protected.
    expect((await engine.run(batch({ operations: [{ type: 'write', target: '.github/notes.txt', content: 'n\n' }] }))).status).toBe(
      'completed',
    );
  });
});
