// config/interlock.json (docs/interlock.md#configuration): read from the repository's root, parsed by
// the UDP facade's schema; a bad file is CONFIG_INVALID naming the field. No file: the defaults (no
// peers). BATCHCTL_INTERLOCK_KEY, when set, is the shared key, so the key can stay out of git.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { BatchctlError } from '../errors/index.js';
import { interlockConfigSchema, type InterlockConfig } from '../facades/udp/index.js';

export const INTERLOCK_FILE = join('config', 'interlock.json');

function invalid(file: string, field: string, message: string): BatchctlError {
  return new BatchctlError({
    code: 'CONFIG_INVALID',
    message: `${file}: ${field === '' ? '' : `${field}: `}${message}`,
    hint: 'fix the file (docs/interlock.md#configuration lists every field), or remove it for the defaults',
    data: { file, field },
  });
}

/** @example const config = readInterlockFile({ root: engine.root, key: env.BATCHCTL_INTERLOCK_KEY }); */
export function readInterlockFile({ root, key }: { root: string; key?: string | undefined }): InterlockConfig {
  const file = join(root, INTERLOCK_FILE);
  let raw: unknown = {};
  if (existsSync(file)) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw invalid(file, '', `not JSON (${(error as Error).message})`);
    }
  }
  const parsed = interlockConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    // An unknown key is reported on its parent: name the key itself.
    const keys = issue && 'keys' in issue ? (issue.keys as string[]) : [];
    const field = keys.length > 0 ? [path, keys[0]].filter(Boolean).join('.') : path;
    throw invalid(file, field, issue?.message ?? 'invalid');
  }
  return key === undefined ? parsed.data : { ...parsed.data, shared_key: key };
}
