// Each ecosystem's share of a multi-ecosystem batch (docs/control-file.md#multi-ecosystem-outcomes): which
// ecosystems a failed batch fails, and what their SLIs count.
import { describe, expect, it } from 'vitest';

import { computeSlis, ecosystemOutcomes, failingEcosystems, type SliRow } from '../../../controller/control/index.js';

const batch = {
  ecosystem: 'npm',
  operations: [{}, { ecosystem: 'pypi' }, { ecosystem: 'rubygems' }],
};
const steps = [{}, {}, { ecosystem: 'pypi' }, { ecosystem: 'rubygems' }];
const POLICY = { slo: {} };

describe('ecosystemOutcomes', () => {
  it('is null for a batch of one ecosystem: its outcome is the batch’s', () => {
    expect(
      ecosystemOutcomes({
        batch: { ecosystem: 'npm', operations: [{}] },
        plan: { steps: [{}] },
        results: [{ status: 'failed' }],
        status: 'failed',
      }),
    ).toBe(null);
  });

  it('fails only the ecosystems with a failed step; skipped steps fail no one', () => {
    const outcomes = ecosystemOutcomes({
      batch,
      plan: { steps },
      results: [{ status: 'reverted' }, { status: 'succeeded' }, { status: 'failed' }, { status: 'skipped' }],
      status: 'failed',
    });
    expect(outcomes).toEqual({
      npm: { succeeded: 1, failed: 0, outcome: 'none' },
      pypi: { succeeded: 0, failed: 1, outcome: 'failure' },
      rubygems: { succeeded: 0, failed: 1, outcome: 'none' },
    });
    expect(failingEcosystems(outcomes)).toEqual(['pypi']);
  });

  it('fails every ecosystem when no step explains the failure (an error while committing)', () => {
    const outcomes = ecosystemOutcomes({ batch, plan: { steps }, results: steps.map(() => ({ status: 'reverted' })), status: 'failed' });
    expect(failingEcosystems(outcomes)).toEqual(['npm', 'pypi', 'rubygems']);
  });

  it('is a success for every ecosystem of a batch that did not fail', () => {
    const outcomes = ecosystemOutcomes({
      batch,
      plan: { steps },
      results: steps.map(() => ({ status: 'succeeded' })),
      status: 'completed',
    });
    expect(Object.values(outcomes ?? {}).map((o) => o.outcome)).toEqual(['success', 'success', 'success']);
    expect(failingEcosystems(outcomes)).toEqual([]);
  });
});

describe('computeSlis with ecosystem shares', () => {
  const row = (over: Partial<SliRow>): SliRow => ({
    ecosystem: 'npm',
    other_ecosystems: 'pypi',
    status: 'failed',
    success_count: 0,
    failure_count: 1,
    duration_ms: 10,
    source: 'cli',
    ...over,
  });

  it('counts a failed batch for the failing ecosystem only, each with its own steps', () => {
    const shares = { npm: { succeeded: 0, failed: 0, outcome: 'none' }, pypi: { succeeded: 0, failed: 1, outcome: 'failure' } };
    const slis = computeSlis([row({ ecosystem_outcomes: JSON.stringify(shares) })], POLICY);
    expect(slis.map((s) => [s.ecosystem, s.batches, s.batch_success_rate, s.operations])).toEqual([['pypi', 1, 0, 1]]);
  });

  it('counts a row without shares (one ecosystem, or written before them) whole for each ecosystem', () => {
    const slis = computeSlis([row({ ecosystem_outcomes: null }), row({ ecosystem_outcomes: 'not json' })], POLICY);
    expect(slis.map((s) => [s.ecosystem, s.batches])).toEqual([
      ['npm', 2],
      ['pypi', 2],
    ]);
  });
});
