// Shallow clones as CI makes them (actions/checkout: depth 1): a bare copy of a test repository as
// the remote, and `git clone --depth N file://…` of it (a plain path would ignore --depth).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GIT_ENV, gitRepo, type TestRepo } from './git-repo.js';

export interface ShallowClone {
  clone: TestRepo;
  /** the bare remote the clone came from (its origin) */
  remote: string;
  cleanup(): void;
}

export function shallowClone(origin: TestRepo, { depth, tags }: { depth: number; tags: boolean }): ShallowClone {
  const remote = mkdtempSync(join(tmpdir(), 'batchctl-bare-'));
  execFileSync('git', ['clone', '-q', '--bare', origin.dir, remote], { env: GIT_ENV });
  // A TestRepo (git, snapshot, …) whose directory is emptied and cloned into.
  const clone = gitRepo({}, { control: false });
  for (const name of readdirSync(clone.dir)) rmSync(join(clone.dir, name), { recursive: true, force: true });
  execFileSync('git', ['clone', '-q', `--depth=${depth}`, ...(tags ? [] : ['--no-tags']), `file://${remote}`, clone.dir], {
    env: GIT_ENV,
  });
  return {
    clone,
    remote,
    cleanup() {
      rmSync(clone.dir, { recursive: true, force: true });
      rmSync(remote, { recursive: true, force: true });
    },
  };
}
