import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { CLI } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});

describe('signals during a run', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('rolls the batch back on %s and exits 1 with status cancelled', async (signal) => {
    const repo = gitRepo({ 'keep.txt': 'keep' });
    repos.push(repo);
    const before = repo.snapshot();
    const ops = Array.from({ length: 5000 }, (_, i) => ({ type: 'write', target: `many/${i}.txt`, content: 'x'.repeat(512) }));
    const child = spawn(process.execPath, [CLI, 'run', '-', '--json'], { cwd: repo.dir, stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.end(JSON.stringify({ operations: ops }));
    const lines: string[] = [];
    let signalled = false;
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      // Synchronise on the first progress event: the batch is mid-flight.
      if (!signalled && line.includes('"batch_progress"')) {
        signalled = true;
        child.kill(signal);
      }
    }
    const code = await new Promise<number | null>((resolve) =>
      child.exitCode !== null ? resolve(child.exitCode) : child.on('close', resolve),
    );
    expect(signalled).toBe(true);
    expect(code).toBe(1);
    const result = JSON.parse(lines.at(-1) ?? '{}') as { status: string; reason: { code: string } };
    expect(result).toMatchObject({ status: 'cancelled', reason: { code: 'CANCELLED' } });
    expect(repo.snapshot()).toBe(before);
  });
});
