// The control file's warnings (other tools' keys kept, deprecated settings) on stderr, one line each,
// whatever the output mode: the engine reports them, the CLI prints them.

/** @example printControlWarnings(result.control_warnings) → `batchctl: warning: batch-control.json: unknown key "x" kept as is` */
export function printControlWarnings(warnings: readonly string[] | undefined): void {
  if (!warnings || warnings.length === 0) return;
  process.stderr.write(warnings.map((line) => `batchctl: warning: ${line}\n`).join(''));
}
