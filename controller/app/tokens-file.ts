// The tokens file (docs/serve.md#tokens-and-roles): JSON lines of {name, role, sha256}. Only the
// SHA-256 of a token is stored; a presented token is hashed and compared in constant time with each.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

import { z } from 'zod';

import { BatchctlError } from '../errors/index.js';
import { ROLES, type Authenticate, type Principal, type Role } from '../facades/http/index.js';

const tokenLineSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, 'letters, digits, . _ @ -'),
  role: z.enum(ROLES),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 hex digits'),
});
type TokenLine = z.infer<typeof tokenLineSchema>;

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

function invalidFile(file: string, line: number, message: string): BatchctlError {
  return new BatchctlError({
    code: 'CONFIG_INVALID',
    message: `${file}:${line}: ${message}`,
    hint: 'each line is {"name": …, "role": "viewer|operator|admin", "sha256": …}; `batchctl token add` writes them',
    data: { variable: 'BATCHCTL_TOKENS_FILE', file, line },
  });
}

export function readTokensFile(file: string): TokenLine[] {
  if (!existsSync(file)) throw invalidFile(file, 0, 'no such file');
  const lines = readFileSync(file, 'utf8').split('\n');
  const tokens: TokenLine[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw invalidFile(file, i + 1, 'not JSON');
    }
    const parsed = tokenLineSchema.safeParse(value);
    if (!parsed.success)
      throw invalidFile(file, i + 1, `${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''}`);
    if (tokens.some((t) => t.name === parsed.data.name)) throw invalidFile(file, i + 1, `name ${parsed.data.name} twice`);
    tokens.push(parsed.data);
  });
  return tokens;
}

/** Every entry is compared (no early exit), each with timingSafeEqual on equal-length digests. */
export function tokenAuthenticator(tokens: readonly TokenLine[]): Authenticate {
  const known = tokens.map((t) => ({
    principal: { name: t.name, role: t.role } satisfies Principal,
    digest: Buffer.from(t.sha256, 'hex'),
  }));
  return (token) => {
    if (token === undefined) return null;
    const offered = digest(token);
    let found: Principal | null = null;
    for (const entry of known) if (timingSafeEqual(offered, entry.digest)) found = entry.principal;
    return found ?? 'invalid';
  };
}

/** Make a token for `name`, store its hash, return the token (shown once, never stored). */
export function addToken({ file, name, role }: { file: string; name: string; role: Role }): string {
  const existing = existsSync(file) ? readTokensFile(file) : [];
  if (existing.some((t) => t.name === name)) {
    throw new BatchctlError({
      code: 'USAGE',
      message: `${file} has a token named ${name} already`,
      hint: 'choose another name, or delete its line to replace it',
    });
  }
  const token = `bct_${randomBytes(32).toString('base64url')}`;
  const line = tokenLineSchema.parse({ name, role, sha256: digest(token).toString('hex') });
  appendFileSync(file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  return token;
}
