// NDJSON on stdout: one JSON value per line, for machines (--json).
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
