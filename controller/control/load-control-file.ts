// Reading batch-control.json, failing closed (SPEC §5): missing, unreadable, not JSON or not valid
// each refuse every batch with a message naming the file, the field and the problem.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CONTROL_FILE_NAME, controlFileSchema, type ControlFile } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';

function refuse(file: string, problem: string, hint: string, data: Record<string, unknown> = {}): BatchctlError {
  return new BatchctlError({
    code: 'CONTROL_FILE_INVALID',
    message: `${file}: ${problem}; every batch is refused until it is fixed`,
    hint,
    data: { file, ...data },
  });
}

/** Parse control file text (from the work tree or from a git blob). */
export function parseControlFile(text: string, file: string): ControlFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw refuse(file, `not valid JSON (${(error as Error).message})`, 'fix the JSON syntax, or run `batchctl init --force`');
  }
  const parsed = controlFileSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = first?.path.join('.') || '(top level)';
    throw refuse(file, `field "${field}": ${first?.message ?? 'invalid'}`, 'compare with the default from `batchctl init`', {
      field,
      issues: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}

export async function loadControlFile(root: string): Promise<ControlFile> {
  const file = join(root, CONTROL_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw refuse(file, 'missing', 'run `batchctl init` to write the default control file, then commit it');
    throw refuse(file, `unreadable (${code ?? String(error)})`, 'check its permissions');
  }
  return parseControlFile(text, file);
}
