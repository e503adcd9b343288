// node scripts/failed-batch-db-size.mjs [writes] [bytes]: how much a failed batch grows the SQLite
// database (docs/benchmarks.md). An atomic batch of `writes` random binary writes of `bytes` each,
// plus one replace that cannot apply, so every write is rolled back and kept for `retry`.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const writes = Number(process.argv[2] ?? 2000);
const bytes = Number(process.argv[3] ?? 10_240);
const cli = new URL('../bin/batchctl.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'batchctl-db-size-'));
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'm',
  GIT_AUTHOR_EMAIL: 'm@x',
  GIT_COMMITTER_NAME: 'm',
  GIT_COMMITTER_EMAIL: 'm@x',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (...args) => execFileSync('git', args, { cwd: dir, env });
const batchctl = (...args) =>
  execFileSync(process.execPath, [cli, ...args], { cwd: dir, env: { ...env, BATCHCTL_LOG_LEVEL: 'silent' } }).toString();
try {
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'k.txt'), 'keep\n');
  batchctl('init');
  git('add', '-A');
  git('commit', '-q', '-m', 'seed');
  const db = join(dir, '.git', 'batchctl', 'state.db');
  batchctl('status'); // creates the empty database
  const empty = statSync(db).size;
  const packed = () => Number(/size-pack: (\d+)/.exec(git('count-objects', '-v').toString())?.[1] ?? 0) * 1024;
  const packedBefore = packed();
  const operations = [
    ...Array.from({ length: writes }, (_, i) => ({
      type: 'write',
      target: `w/${i}.bin`,
      content_base64: randomBytes(bytes).toString('base64'),
    })),
    { type: 'replace', target: 'k.txt', find: 'absent', replace: 'x' },
  ];
  writeFileSync(join(dir, '.git', 'batch.json'), JSON.stringify({ title: 'failed', options: { atomic: true }, operations }));
  try {
    batchctl('run', join(dir, '.git', 'batch.json'));
  } catch {
    // exit 1: the batch failed, as intended
  }
  const after = statSync(db).size;
  const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
  console.log(
    `${writes} × ${bytes} B failed writes: database ${mb(empty)} → ${mb(after)} (+${mb(after - empty)}); ` +
      `git packs +${mb(packed() - packedBefore)}; batch content ${mb(writes * bytes)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
