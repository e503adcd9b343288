// The one outcome table: every code in errors/codes.ts maps to one exit code and HTTP status, every
// result the engine returns renders through outcomeOf, and docs/outcomes.md lists exactly the table.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ERROR_CODES, EXIT, outcomeOf } from '../../../controller/errors/index.js';

const DOC = readFileSync(new URL('../../../docs/outcomes.md', import.meta.url), 'utf8');

/** The rows of the Markdown table under "## The code table": code | kind | exit | http | meaning. */
function documentedRows(): string[][] {
  const section = DOC.slice(DOC.indexOf('## The code table'));
  const table = section.slice(0, section.indexOf('\n## ', 1));
  return table
    .split('\n')
    .filter((line) => /^\| [A-Z_]+ \|/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

describe('the outcome table', () => {
  it('is documented in docs/outcomes.md row for row, in the order of errors/codes.ts', () => {
    const expected = Object.entries(ERROR_CODES).map(([code, info]) => [code, info.kind, String(info.exit), String(info.http)]);
    expect(documentedRows().map((row) => row.slice(0, 4))).toEqual(expected);
    expect(documentedRows().every((row) => (row[4] ?? '') !== '')).toBe(true);
  });

  it('gives a reason code its own exit code and status, whatever the status says', () => {
    expect(outcomeOf({ status: 'refused', reason: { code: 'VALIDATION_FAILED' } })).toEqual({
      ok: false,
      exit: EXIT.usage,
      http: 422,
      code: 'VALIDATION_FAILED',
    });
    expect(outcomeOf({ status: 'refused', reason: { code: 'EMERGENCY_STOP' } })).toMatchObject({ exit: EXIT.refused, http: 503 });
    expect(outcomeOf({ status: 'completed', reason: { code: 'NOTHING_TO_REVERT' } })).toMatchObject({ ok: true, exit: EXIT.ok });
    expect(outcomeOf({ status: 'failed', reason: { code: 'ATOMIC_FAILURE' } })).toMatchObject({
      ok: false,
      exit: EXIT.batchFailed,
      http: 422,
    });
  });

  it('falls back to the status for a result without a reason', () => {
    expect(outcomeOf({ status: 'completed' })).toEqual({ ok: true, exit: EXIT.ok, http: 200, code: null });
    expect(outcomeOf({ status: 'planned' })).toMatchObject({ ok: true, exit: EXIT.ok });
    expect(outcomeOf({ status: 'cancelled' })).toMatchObject({ ok: false, exit: EXIT.batchFailed });
    expect(outcomeOf({ status: 'failed', reason: { code: 'SOMETHING_UNKNOWN' } })).toMatchObject({
      ok: false,
      exit: EXIT.batchFailed,
      code: null,
    });
  });

  it('lets only NOTHING_TO_REVERT succeed among the codes', () => {
    const succeeding = Object.entries(ERROR_CODES)
      .filter(([, info]) => info.exit === EXIT.ok)
      .map(([code]) => code);
    expect(succeeding).toEqual(['NOTHING_TO_REVERT']);
  });
});
