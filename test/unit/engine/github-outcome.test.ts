// What a run did on GitHub is gathered from several calls (the run's status and incidents, the proposal's pull
// request): merging keeps every warning and incident, never one call's list over another's.
import { describe, expect, it } from 'vitest';

import { mergeGitHubOutcome } from '../../../controller/engine/github/github-reporter.js';

describe('GitHub outcome of a run', () => {
  it('adds up warnings and incidents, and keeps the pull request and the status', () => {
    const run = { commit_status: 'success' as const, warnings: [{ code: 'GITHUB_FAILED' as const, message: 'incident' }] };
    const proposal = {
      pull_request: { number: 3, url: 'u', auto_merge: false },
      warnings: [{ code: 'GITHUB_PERMISSION' as const, message: 'labels' }],
    };
    expect(mergeGitHubOutcome(run, proposal)).toEqual({
      commit_status: 'success',
      pull_request: { number: 3, url: 'u', auto_merge: false },
      warnings: [
        { code: 'GITHUB_FAILED', message: 'incident' },
        { code: 'GITHUB_PERMISSION', message: 'labels' },
      ],
    });
  });

  it('keeps the latest hundred of a list nobody collects (a long-lived engine)', () => {
    let outcome = {};
    for (let i = 0; i < 150; i++)
      outcome = mergeGitHubOutcome(outcome, { incidents: [{ ecosystem: `e${i}`, action: 'opened', number: i, url: null }] });
    const incidents = (outcome as { incidents: Array<{ number: number }> }).incidents;
    expect(incidents).toHaveLength(100);
    expect(incidents[0]?.number).toBe(50);
  });
});
