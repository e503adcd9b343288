// The control file's warnings (other tools' keys kept, deprecated settings, settings another writer
// removed) on stderr, one line each, whatever the output mode: the engine reports them, the CLI prints them.

/** Printed already by this process: a command that hears a warning twice (when it opens, in its result) says it once. */
const printed = new Set<string>();

/** @example printControlWarnings(result.control_warnings) → `batchctl: warning: batch-control.json: unknown key "x" kept as is` */
export function printControlWarnings(warnings: readonly string[] | undefined): void {
  const fresh = (warnings ?? []).filter((line) => !printed.has(line));
  for (const line of fresh) printed.add(line);
  if (fresh.length > 0) process.stderr.write(fresh.map((line) => `batchctl: warning: ${line}\n`).join(''));
}
