// Find-by-id benchmark (issue 3): locating one batch in a history of 10,000 batch commits — by its
// tag (one ref read, what `rollback` does first) and by its SQLite row (what `status` reads) —
// against `git log --grep` over the whole history, the only way without either.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { openGit } from '../controller/git/index.js';
import { openStore } from '../controller/store/index.js';
import { git, timeBatchctl, timeGit } from './fixtures.js';
import { type BenchOptions, fmtMs, median, type Outcome, ratioLine } from './report.js';

const id = (i: number): string => `b-20261101-${String(100000 + Math.floor(i / 100)).slice(-6)}-${String(i % 100).padStart(2, '0')}abcd`;

/** `commits` batch commits, each with the full trailer block and an annotated `batch/<id>` tag. */
function seedHistory(dir: string, commits: number): void {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  const stream = join(dir, '..', 'history.fast-import');
  const fd = openSync(stream, 'w');
  for (let i = 0; i < commits; i++) {
    const message = `Bench batch ${i}\n\nBatch-Id: ${id(i)}\nBatch-Ecosystem: npm\nBatch-Operations: 1\nBatch-Failed: 0\nBatch-Requested-By: bench\n`;
    const when = 1_700_000_000 + i;
    writeSync(
      fd,
      `commit refs/heads/main\nmark :${i + 1}\ncommitter bench <bench@localhost> ${when} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`,
    );
    const body = `batch ${i}\n`;
    writeSync(fd, `M 100644 inline data/${i % 500}.txt\ndata ${Buffer.byteLength(body)}\n${body}\n`);
    const tagMessage = `batch ${id(i)}\n`;
    writeSync(
      fd,
      `tag batch/${id(i)}\nfrom :${i + 1}\ntagger bench <bench@localhost> ${when} +0000\ndata ${Buffer.byteLength(tagMessage)}\n${tagMessage}\n`,
    );
  }
  closeSync(fd);
  const input = openSync(stream, 'r');
  const r = spawnSync('git', ['-c', 'gc.auto=0', 'fast-import', '--quiet'], {
    cwd: dir,
    stdio: [input, 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  closeSync(input);
  if (r.status !== 0) throw new Error(`git fast-import exited ${r.status}: ${r.stderr}`);
  git(dir, ['reset', '-q', '--hard', 'main']);
  // Real repositories keep their many tags packed (`git gc`, or `pack-refs` on a clone).
  git(dir, ['pack-refs', '--all']);
}

export async function findBench({ quick, root }: BenchOptions): Promise<Outcome[]> {
  const commits = quick ? 1_000 : 10_000;
  const name = quick ? 'find-in-1k' : 'find-in-10k';
  const dir = join(root, name, 'repo');
  seedHistory(dir, commits);
  const reindexed = JSON.parse(timeBatchctl(['reindex', '--repo', dir, '--json']).stdout) as { inserted?: number };
  if (reindexed.inserted !== commits) throw new Error(`[${name}] reindex inserted ${reindexed.inserted}, not ${commits}`);

  const lookups = 15;
  const wanted = Array.from({ length: lookups }, (_, k) => id(Math.floor(((k + 0.5) / lookups) * commits)));
  const repo = await openGit({ dir, identity: { name: 'bench', email: 'bench@localhost' } });
  const store = openStore({ file: join(repo.gitDir, 'batchctl', 'state.db') });
  const grep: number[] = [];
  const tag: number[] = [];
  const row: number[] = [];
  const cli: number[] = [];
  try {
    for (const want of wanted) {
      const g = timeGit(dir, ['log', '--format=%H', '--fixed-strings', `--grep=Batch-Id: ${want}`, 'HEAD', '--']);
      grep.push(g.seconds);
      let start = performance.now();
      const tagged = await repo.resolveCommit(`refs/tags/batch/${want}`);
      tag.push((performance.now() - start) / 1000);
      start = performance.now();
      const found = store.batches.get(want);
      row.push((performance.now() - start) / 1000);
      const status = timeBatchctl(['status', want, '--repo', dir, '--json']);
      cli.push(status.seconds);
      if (!tagged || tagged !== g.stdout || found?.commit_sha !== g.stdout || !status.stdout.includes(g.stdout)) {
        throw new Error(`[${name}] lookups disagree for ${want}: grep ${g.stdout}, tag ${tagged}, row ${found?.commit_sha}`);
      }
    }
  } finally {
    store.close();
  }
  const base = median(grep);
  const what = `one id among ${commits.toLocaleString('en-US')} batch commits; median of ${lookups} ids spread over the history; all lookups agree`;
  return [
    ratioLine(
      `${name}-tag`,
      fmtMs(median(tag)),
      fmtMs(base),
      base / median(tag),
      { atLeast: 10 },
      `batch/<id> tag read (git rev-parse, as rollback does) vs git log --grep; ratio = speed-up; ${what}`,
    ),
    ratioLine(
      `${name}-sqlite`,
      fmtMs(median(row)),
      fmtMs(base),
      base / median(row),
      { atLeast: 10 },
      `SQLite row by id vs git log --grep; ratio = speed-up; ${what}`,
    ),
    ratioLine(
      `${name}-cli`,
      fmtMs(median(cli)),
      fmtMs(base),
      base / median(cli),
      null,
      `\`batchctl status <id>\` spawn to exit, Node start-up included, vs git log --grep; ratio = speed-up`,
    ),
  ];
}
