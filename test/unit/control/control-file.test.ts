import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  controlFileJsonSchema,
  defaultControlFile,
  parseControlFile,
  preflight,
  renderControlFile,
} from '../../../controller/control/index.js';

const root = new URL('../../../', import.meta.url);

describe('the control file', () => {
  it('the committed batch-control.schema.json is generated from the zod schema (npm run schema)', () => {
    expect(readFileSync(new URL('batch-control.schema.json', root), 'utf8')).toBe(controlFileJsonSchema());
  });

  it("the repository's own batch-control.json is the default and references the schema", () => {
    const text = readFileSync(new URL('batch-control.json', root), 'utf8');
    expect(text).toBe(renderControlFile(defaultControlFile()));
    expect(JSON.parse(text).$schema).toBe('./batch-control.schema.json');
  });

  it("loads the registry design's initial form with empty-string dates", () => {
    const control = parseControlFile(
      JSON.stringify({
        enabled: true,
        disabled_ecosystems: [],
        reason: '',
        incident_url: '',
        disabled_by: '',
        disabled_at: '',
        expected_resume: '',
        circuit_breaker: { npm: { state: 'closed', failures: 0, last_failure: '', opens_at: '' } },
        budget: { week_start: '', sampling_active: false, macos_minutes_used: 0, linux_minutes_used: 0 },
      }),
      'batch-control.json',
    );
    expect(control.budget).toMatchObject({ macos_minutes_used: 0 });
    expect(preflight(control, { id: 'b-20261123-120000-aaaaaa', ecosystem: 'npm', priority: 0 }, new Date('2026-11-23T12:00:00Z'))).toEqual(
      { admit: true },
    );
  });

  it.each([
    ['{"enabled": "no"}', 'enabled'],
    ['{"enabled": true, "disabled_at": "yesterday"}', 'disabled_at'],
    // One unreadable breaker entry refuses its ecosystem only (registry-forms.test.ts); a wrong shape of the whole map refuses all.
    ['{"enabled": true, "circuit_breaker": ["npm"]}', 'circuit_breaker'],
    ['{"enabled": true, "policy": {"limits": {"max_operations_per_batch": -1}}}', 'policy.limits.max_operations_per_batch'],
  ])('refuses %s naming the field %s', (text, field) => {
    expect(() => parseControlFile(text, 'batch-control.json')).toThrow(
      expect.objectContaining({ code: 'CONTROL_FILE_INVALID', data: expect.objectContaining({ field }) }),
    );
  });
});
