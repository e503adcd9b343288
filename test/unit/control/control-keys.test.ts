// Unknown and misspelt keys in batch-control.json (issue 9 A10): refused under policy, refused at the
// top level when within two edits of a known key, otherwise kept and reported.
import { describe, expect, it } from 'vitest';

import {
  checkControlKeys,
  defaultControlFile,
  parseControl,
  parseControlFile,
  renderControlFile,
} from '../../../controller/control/index.js';
import { levenshtein } from '../../../controller/control/levenshtein.js';
import { nearestKey } from '../../../controller/control/nearest-key.js';

const withPolicy = (policy: Record<string, unknown>): Record<string, unknown> => ({ enabled: true, policy });

describe('levenshtein and nearestKey', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['disabled_ecosytems', 'disabled_ecosystems', 1],
    ['enalbed', 'enabled', 2],
    ['policy', 'policies', 3],
  ])('distance(%j, %j) is %i, either way round', (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
    expect(levenshtein(b, a)).toBe(distance);
  });

  it('picks the closest candidate, the first of equals, and null among none', () => {
    expect(nearestKey('max_operatons_per_batch', ['max_operations_per_batch_mcp', 'max_operations_per_batch', 'window'])).toEqual({
      key: 'max_operations_per_batch',
      distance: 1,
    });
    expect(nearestKey('ab', ['ax', 'ay'])).toEqual({ key: 'ax', distance: 1 });
    expect(nearestKey('x', [])).toBeNull();
  });
});

describe('checkControlKeys', () => {
  it('finds nothing in the default file', () => {
    expect(checkControlKeys(JSON.parse(renderControlFile(defaultControlFile())))).toEqual({ refusals: [], warnings: [] });
  });

  it('refuses a misspelt policy key at any depth, naming its path and the key meant', () => {
    const report = checkControlKeys(
      withPolicy({ limits: { max_operatons_per_batch: 10 }, circuit_breaker: { failure_treshold: 2 }, remote_pol_seconds: 5 }),
    );
    expect(report.refusals).toEqual([
      {
        field: 'policy.limits.max_operatons_per_batch',
        nearest: 'max_operations_per_batch',
        message: 'policy.limits.max_operatons_per_batch: unknown key (did you mean max_operations_per_batch?)',
      },
      { field: 'policy.circuit_breaker.failure_treshold', nearest: 'failure_threshold', message: expect.any(String) },
      { field: 'policy.remote_pol_seconds', nearest: 'remote_poll_seconds', message: expect.any(String) },
    ]);
  });

  it('refuses any unknown policy key, however far from the known ones', () => {
    const [refusal] = checkControlKeys(withPolicy({ x_future: 1 })).refusals;
    expect(refusal).toMatchObject({ field: 'policy.x_future', nearest: expect.any(String) });
    expect(refusal?.message).toContain('remote_poll_seconds'); // the known keys are listed instead of a far guess
  });

  it('refuses a top-level key within two edits of a known one', () => {
    expect(
      checkControlKeys({ enabled: true, disabled_ecosytems: ['npm'], Enabled: false, reasno: 'x' }).refusals.map((r) => [
        r.field,
        r.nearest,
      ]),
    ).toEqual([
      ['disabled_ecosytems', 'disabled_ecosystems'],
      ['Enabled', 'enabled'],
      ['reasno', 'reason'],
    ]);
  });

  it("keeps another tool's top-level key and reports it", () => {
    expect(checkControlKeys({ enabled: true, x_registry_note: { n: 1 }, policies: {} })).toEqual({
      refusals: [],
      warnings: ['batch-control.json: unknown key "x_registry_note" kept as is', 'batch-control.json: unknown key "policies" kept as is'],
    });
  });

  it('does not check the state objects batchctl writes, nor the keys of maps (units, ecosystems)', () => {
    const report = checkControlKeys({
      enabled: true,
      budget: { week_start: '', operations_used: 3, macos_minutes_used: 4 },
      circuit_breaker: { npm: { state: 'closed', recent: 'SSF', x_note: 1 } },
      policy: { slo: { default: 0.9, npm: 0.99 }, budget: { limits: { macos_minutes: 10 } } },
    });
    expect(report).toEqual({ refusals: [], warnings: [] });
  });

  it('accepts a deprecated setting and reports it as ignored', () => {
    const text = JSON.stringify(withPolicy({ circuit_breaker: { failure_threshold: 2, half_open_probes: 3 } }));
    expect(checkControlKeys(JSON.parse(text)).refusals).toEqual([]);
    const loaded = parseControl(text, 'batch-control.json');
    expect(loaded.control.policy.circuit_breaker.failure_threshold).toBe(2);
    expect(loaded.warnings).toEqual([
      expect.stringMatching(/^batch-control\.json: policy\.circuit_breaker\.half_open_probes: deprecated, ignored/),
    ]);
  });

  it('makes parseControlFile refuse with CONTROL_FILE_INVALID, naming the field and the nearest key', () => {
    const text = JSON.stringify({ enabled: true, disabled_ecosytems: ['npm'], policy: { limits: { max_operatons_per_batch: 1 } } });
    expect(() => parseControlFile(text, 'batch-control.json')).toThrow(
      expect.objectContaining({
        code: 'CONTROL_FILE_INVALID',
        data: expect.objectContaining({
          field: 'disabled_ecosytems',
          nearest: 'disabled_ecosystems',
          issues: [
            expect.objectContaining({ field: 'disabled_ecosytems' }),
            expect.objectContaining({ field: 'policy.limits.max_operatons_per_batch' }),
          ],
        }),
      }),
    );
  });
});
