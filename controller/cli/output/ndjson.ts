// NDJSON on stdout: one JSON value per line, for machines (--json).
//
// Lines are gathered and written once per turn of the event loop (or every LINES_PER_WRITE): a
// 10,000-operation batch prints 10,000 progress lines, and a write(2) each cost more than the JSON.
// A reader still sees them within one apply time slice (~20 ms).
const LINES_PER_WRITE = 512;

let pending: string[] = [];
let scheduled = false;

export function printJsonLine(value: unknown): void {
  pending.push(JSON.stringify(value));
  if (pending.length >= LINES_PER_WRITE) {
    flushJsonLines();
  } else if (!scheduled) {
    scheduled = true;
    setImmediate(flushJsonLines);
  }
}

/** Write what is gathered now: before any other output, and before the process ends. */
export function flushJsonLines(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const text = `${pending.join('\n')}\n`;
  pending = [];
  process.stdout.write(text);
}

// An exit with lines still gathered (process.exit, or the loop ending first) must not lose them.
process.on('exit', flushJsonLines);
