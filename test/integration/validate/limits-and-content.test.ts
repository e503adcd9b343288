// Limits, content and ordering through the real engine: what the batch document itself gets wrong
// (too many operations, bad content, bad regexes, bad depends_on, stale expected_blob).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch } from '../../helpers/engine.js';
import { expectRefused, expectValid, setup, useRepos } from './fixtures.js';

useRepos();

const MIB = 1024 * 1024;

describe('size limits', () => {
  it('refuses more operations than policy.limits.max_operations_per_batch, for the batch as a whole', async () => {
    const env = await setup({}, (repo) => {
      const control = JSON.parse(repo.read('batch-control.json')) as { policy: { limits: Record<string, number> } };
      control.policy.limits.max_operations_per_batch = 2;
      repo.write('batch-control.json', `${JSON.stringify(control, null, 2)}\n`);
    });
    const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'write' as const, target: `f${i}.txt`, content: String(i) }));
    await expectRefused(env, batch({ operations: ops(3) }), { code: 'TOO_MANY_OPERATIONS', index: -1 });
    await expectValid(env.engine, batch({ operations: ops(2) }));
  });

  it('refuses content over 10 MiB, and accepts exactly 10 MiB', async () => {
    const env = await setup({});
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'big.bin', content: 'x'.repeat(10 * MIB + 1) }] }), {
      code: 'CONTENT_TOO_LARGE',
      index: 0,
      path: 'big.bin',
    });
    await expectValid(env.engine, batch({ operations: [{ type: 'write', target: 'big.bin', content: 'x'.repeat(10 * MIB) }] }));
  });

  it('counts bytes, not characters: 4 MiB of a 3-byte character is over the limit', async () => {
    const env = await setup({});
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'wide.txt', content: '\u20ac'.repeat(4 * MIB) }] }), {
      code: 'CONTENT_TOO_LARGE',
      index: 0,
      path: 'wide.txt',
    });
  });

  it('refuses decoded base64 content over 10 MiB', async () => {
    const env = await setup({});
    const encoded = Buffer.alloc(10 * MIB + 3, 7).toString('base64');
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'big.bin', content_base64: encoded }] }), {
      code: 'CONTENT_TOO_LARGE',
      index: 0,
      path: 'big.bin',
    });
  });
});

describe('content and regexes', () => {
  it.each([
    ['characters outside the alphabet', 'not base64!'],
    ['a length that is not a multiple of 4', 'abc'],
    ['padding in the middle', 'ab==cd=='],
    ['URL-safe characters', 'a-b_'],
  ])('refuses content_base64 with %s', async (_what, content_base64) => {
    const env = await setup({});
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'a.bin', content_base64 }] }), {
      code: 'CONTENT_INVALID',
      index: 0,
      path: 'a.bin',
    });
  });

  it('writes the exact bytes of valid base64 content (line breaks allowed)', async () => {
    const { repo, engine } = await setup({});
    const bytes = Buffer.from([0, 1, 2, 254, 255, 10, 13]);
    const encoded = bytes.toString('base64').replace(/(.{4})/g, '$1\n');
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'a.bin', content_base64: encoded }] }));
    expect(result.status).toBe('completed');
    expect(readFileSync(join(repo.dir, 'a.bin'))).toEqual(bytes);
    expect(repo.git('rev-parse', 'HEAD:a.bin').trim()).toBe(repo.git('hash-object', 'a.bin').trim());
  });

  it('refuses an invalid regular expression, naming the op and its target', async () => {
    const env = await setup({ 'a.txt': 'a' });
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'replace', target: 'a.txt', find: 'fine', replace: 'x', regex: true },
          { type: 'replace', target: 'a.txt', find: '(unclosed', replace: 'x', regex: true },
        ],
      }),
      { code: 'REGEX_INVALID', index: 1, path: 'a.txt' },
    );
  });

  it('treats the same text as a literal when regex is off', async () => {
    const { engine } = await setup({ 'a.txt': 'f(unclosed' });
    await expectValid(engine, batch({ operations: [{ type: 'replace', target: 'a.txt', find: '(unclosed', replace: 'x' }] }));
  });
});

describe('depends_on', () => {
  it.each([
    ['a later operation', [2]],
    ['itself', [1]],
    ['an operation past the end', [9]],
  ])('refuses depends_on pointing at %s', async (_what, depends_on) => {
    const env = await setup({});
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'a.txt', content: 'a' },
          { type: 'write', target: 'b.txt', content: 'b', depends_on },
          { type: 'write', target: 'c.txt', content: 'c' },
        ],
      }),
      { code: 'DEPENDS_ON_INVALID', index: 1, path: 'b.txt' },
    );
  });

  it('accepts depends_on pointing back', async () => {
    const { engine } = await setup({});
    await expectValid(
      engine,
      batch({
        operations: [
          { type: 'write', target: 'a.txt', content: 'a' },
          { type: 'write', target: 'b.txt', content: 'b', depends_on: [0] },
        ],
      }),
    );
  });
});

describe('expected_blob (optimistic concurrency)', () => {
  it('refuses a write whose expected_blob is not the current blob, and keeps the file', async () => {
    // the blob the client read before someone else committed a change
    const env = await setup({ 'a.txt': 'what the client read\n' }, (repo) => repo.write('a.txt', 'current\n'));
    const stale = env.repo.git('rev-parse', 'HEAD~1:a.txt').trim();
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'a.txt', content: 'new\n', expected_blob: stale }] }), {
      code: 'EXPECTED_BLOB_MISMATCH',
      index: 0,
      path: 'a.txt',
    });
    expect(env.repo.read('a.txt')).toBe('current\n');
  });

  it('runs a write whose expected_blob is the blob git hash-object gives for the file', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'current\n' });
    const expected_blob = repo.git('hash-object', 'a.txt').trim();
    const write = batch({ operations: [{ type: 'write', target: 'a.txt', content: 'new\n', expected_blob }] });
    await expectValid(engine, write, [{ code: 'OVERWRITE', index: 0, path: 'a.txt' }]);
    expect((await engine.run(write)).status).toBe('completed');
    expect(repo.read('a.txt')).toBe('new\n');
  });

  it('refuses expected_blob: null (must not exist) on an existing file', async () => {
    const env = await setup({ 'a.txt': 'current\n' });
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'a.txt', content: 'new\n', expected_blob: null }] }), {
      code: 'EXPECTED_BLOB_MISMATCH',
      index: 0,
      path: 'a.txt',
    });
  });

  it('accepts expected_blob: null for a new file, and refuses a blob id for a file that does not exist', async () => {
    const env = await setup({ 'a.txt': 'current\n' });
    await expectValid(env.engine, batch({ operations: [{ type: 'write', target: 'new.txt', content: 'n', expected_blob: null }] }));
    const blob = env.repo.git('hash-object', 'a.txt').trim();
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'new.txt', content: 'n', expected_blob: blob }] }), {
      code: 'EXPECTED_BLOB_MISMATCH',
      index: 0,
      path: 'new.txt',
    });
  });

  it('refuses an expected_blob check on a file an earlier op of the batch already changed', async () => {
    const env = await setup({ 'a.txt': 'current\n' });
    const blob = env.repo.git('hash-object', 'a.txt').trim();
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'replace', target: 'a.txt', find: 'current', replace: 'edited' },
          { type: 'write', target: 'a.txt', content: 'new\n', expected_blob: blob },
        ],
      }),
      { code: 'EXPECTED_BLOB_MISMATCH', index: 1, path: 'a.txt' },
    );
  });
});
