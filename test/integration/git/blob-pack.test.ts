// The blob pack names each blob before git has stored it (so the trees can be built meanwhile).
// Those ids must be git's own, in SHA-1 and SHA-256 repositories, and a pack whose stored ids differ
// from the computed ones must refuse to seal, because a commit must never name a missing blob.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { createRunner, openBlobPack, type ObjectFormat } from '../../../controller/git/index.js';
import { GIT_ENV } from '../../helpers/git-repo.js';

const root = mkdtempSync(join(tmpdir(), 'batchctl-blob-pack-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function repository(format: ObjectFormat): { dir: string; git: (args: string[], input?: Buffer) => Buffer } {
  const dir = join(root, `${format}-${Math.random().toString(16).slice(2)}`);
  const git = (args: string[], input?: Buffer): Buffer => execFileSync('git', args, { cwd: dir, env: GIT_ENV, input: input ?? '' });
  execFileSync('git', ['init', '-q', `--object-format=${format}`, dir], { env: GIT_ENV });
  return { dir, git };
}

describe('blob pack', () => {
  for (const format of ['sha1', 'sha256'] as const) {
    it(`gives every blob the id git gives it and stores its exact bytes (${format})`, async () => {
      const { dir, git } = repository(format);
      const contents = fc.sample(fc.uint8Array({ maxLength: 3000 }), 60).map((bytes) => Buffer.from(bytes));
      contents.push(Buffer.alloc(0), Buffer.from('same\n'), Buffer.from('same\n'));
      const pack = openBlobPack(createRunner({ cwd: dir, identity: { name: 't', email: 't@example.com' } }), format);
      const marks = contents.map((bytes) => pack.add(bytes));
      const ids = marks.map((mark) => pack.idOf(mark)); // known before git has stored anything
      await pack.seal(marks);
      contents.forEach((bytes, i) => {
        const oid = ids[i] as string;
        expect(oid).toBe(git(['hash-object', '--stdin'], bytes).toString('utf8').trim());
        expect(git(['cat-file', 'blob', oid]).equals(bytes)).toBe(true);
      });
    });
  }

  it('keeps every id right past its first thousand blobs, and checks only the marks asked', async () => {
    const { dir, git } = repository('sha1');
    const pack = openBlobPack(createRunner({ cwd: dir, identity: { name: 't', email: 't@example.com' } }), 'sha1');
    const contents = Array.from({ length: 2500 }, (_, i) => Buffer.from(`blob ${i}\n`));
    const marks = contents.map((bytes) => pack.add(bytes));
    const sample = [0, 1023, 1024, 2047, 2048, 2499];
    await pack.seal(sample.map((i) => marks[i] as number));
    for (const i of sample) {
      expect(pack.idOf(marks[i] as number)).toBe(git(['hash-object', '--stdin'], contents[i]).toString('utf8').trim());
    }
    expect(() => pack.idOf(2501)).toThrow(/no blob with mark 2501/);
  });

  it('holds writers back while more than 8 MiB wait for git, and lets them go once git caught up', async () => {
    const { dir, git } = repository('sha1');
    const pack = openBlobPack(createRunner({ cwd: dir, identity: { name: 't', email: 't@example.com' } }), 'sha1');
    expect(pack.backlog()).toBeNull();
    // Added in one synchronous run: git cannot have read more than a pipe's worth of it yet.
    const marks = Array.from({ length: 12 }, (_, i) => pack.add(Buffer.alloc(1 << 20, i)));
    const wait = pack.backlog();
    expect(wait).not.toBeNull();
    await wait;
    expect(pack.backlog()).toBeNull();
    await pack.seal(marks);
    expect(
      git(['cat-file', '-s', pack.idOf(marks[11] as number)])
        .toString('utf8')
        .trim(),
    ).toBe(String(1 << 20));
  });

  it('refuses to seal when git stored other ids than the ones computed', async () => {
    const { dir, git } = repository('sha1');
    // Computing SHA-256 ids for a SHA-1 repository: every id the trees would name is wrong.
    const pack = openBlobPack(createRunner({ cwd: dir, identity: { name: 't', email: 't@example.com' } }), 'sha256');
    const mark = pack.add(Buffer.from('hello\n'));
    await expect(pack.seal([mark])).rejects.toThrow(/fast-import stored blob [0-9a-f]{40} where [0-9a-f]{64} was computed/);
    git(['fsck', '--no-progress']);
  });
});
