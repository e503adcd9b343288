// Which commit authors are bots.
import { describe, expect, it } from 'vitest';

import { isAutomationIdentity } from '../../../controller/control/index.js';

const DEFAULTS = ['github-actions[bot]', '*[bot]'];

describe('isAutomationIdentity', () => {
  it.each([
    ['github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>', true],
    ['dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>', true],
    ['Olga Operator <olga@example.com>', false],
    ['bot <bot@example.com>', false],
  ])('%s → %s with the defaults', (author, expected) => {
    expect(isAutomationIdentity(author, DEFAULTS)).toBe(expected);
  });

  it('matches the email too, and treats regex characters literally', () => {
    expect(isAutomationIdentity('Sync <sync@bots.example.com>', ['*@bots.example.com'])).toBe(true);
    expect(isAutomationIdentity('a.b <x@y>', ['a?b'])).toBe(false);
  });
});
