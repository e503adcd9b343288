// `git log` read as records: the caller's --format separates fields with %x1f and ends each record
// with %x1e (neither occurs in commit messages git writes), and gets each record's fields back.
import type { GitRunner } from './runner.js';

/** An unborn HEAD (exit 128) has no records. */
export async function logRecords(git: GitRunner, args: readonly string[]): Promise<string[][]> {
  const { stdout } = await git.exec(['log', ...args], { okExitCodes: [128] });
  return stdout
    .toString('utf8')
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.includes('\x1f'))
    .map((record) => record.split('\x1f'));
}
