// The crash journal: written before the first operation touches the work tree, cleared after the
// batch is fully recorded. Its presence at start-up means a run was interrupted (docs/lifecycle.md#the-journal-and-crash-recovery, §8).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { journalRecordSchema, type JournalRecord } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { removeFileDurably, writeFileDurably } from './durable-write.js';

export function journalFile(stateDir: string): string {
  return join(stateDir, 'journal.json');
}

export async function writeJournal(stateDir: string, record: JournalRecord): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFileDurably(journalFile(stateDir), JSON.stringify(record));
}

export async function readJournal(stateDir: string): Promise<JournalRecord | null> {
  const file = journalFile(stateDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = journalRecordSchema.safeParse(json);
  if (!parsed.success) {
    throw new BatchctlError({
      code: 'RECOVERY_BLOCKED',
      message: `the crash journal ${file} is damaged`,
      hint: 'inspect `git status`; if the work tree is as you want it, delete the journal file',
      data: { file },
    });
  }
  return parsed.data;
}

export async function clearJournal(stateDir: string): Promise<void> {
  await removeFileDurably(journalFile(stateDir));
}
