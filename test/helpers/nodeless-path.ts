// A PATH with git and bash only: the incident script (scripts/rollback-batch.sh) must not need Node.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll } from 'vitest';

/** A directory holding links to git and bash, to be the whole PATH; removed after the file's tests. */
export function useNodelessPath(): string {
  const bin = mkdtempSync(join(tmpdir(), 'batchctl-nonode-'));
  for (const tool of ['git', 'bash']) {
    symlinkSync(spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
  }
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  return bin;
}
