// The tokens file of `batchctl serve`: only hashes stored, every line checked, tokens matched by hash.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { addToken, readTokensFile, tokenAuthenticator } from '../../../controller/app/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-tokens-'));
  dirs.push(dir);
  return join(dir, 'tokens.jsonl');
}

describe('tokens file', () => {
  it('stores a new token only as its SHA-256, and knows it by it', () => {
    const file = tempFile();
    const viewer = addToken({ file, name: 'dash', role: 'viewer' });
    const admin = addToken({ file, name: 'oncall', role: 'admin' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(viewer);
    expect(text).toContain(createHash('sha256').update(admin).digest('hex'));
    const authenticate = tokenAuthenticator(readTokensFile(file));
    expect(authenticate(viewer)).toEqual({ name: 'dash', role: 'viewer' });
    expect(authenticate(admin)).toEqual({ name: 'oncall', role: 'admin' });
    expect(authenticate(`${admin}x`)).toBe('invalid');
    expect(authenticate('')).toBe('invalid');
    expect(authenticate(undefined)).toBeNull();
    expect(() => addToken({ file, name: 'dash', role: 'admin' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('refuses a file with a bad line, naming the line', () => {
    const file = tempFile();
    const good = JSON.stringify({ name: 'a', role: 'viewer', sha256: 'a'.repeat(64) });
    writeFileSync(file, `${good}\n${JSON.stringify({ name: 'b', role: 'root', sha256: 'b'.repeat(64) })}\n`);
    expect(() => readTokensFile(file)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', data: expect.objectContaining({ line: 2 }) }),
    );
    writeFileSync(file, `${good}\n{not json\n`);
    expect(() => readTokensFile(file)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', data: expect.objectContaining({ line: 2 }) }),
    );
    writeFileSync(file, `${good}\n${good}\n`);
    expect(() => readTokensFile(file)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => readTokensFile(join(file, 'missing'))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
