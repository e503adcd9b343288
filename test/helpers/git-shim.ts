// A `git` placed first on PATH that runs a bash fragment before the real git: a fault aimed at one
// git call, deterministic (issue 11's harness does the same). `$REAL_GIT` names the real one.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface GitShim {
  /** PATH with the shim first */
  path: string;
  remove(): void;
}

/** `before` runs with the git arguments in "$@"; it may exit (the fault) or fall through to real git. */
export function gitShim(before: string): GitShim {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-git-shim-'));
  const real = spawnSync('bash', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  const file = join(dir, 'git');
  writeFileSync(file, `#!/bin/bash\nREAL_GIT=${JSON.stringify(real)}\n${before}\nexec "$REAL_GIT" "$@"\n`);
  chmodSync(file, 0o755);
  return { path: `${dir}${delimiter}${process.env['PATH'] ?? ''}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
