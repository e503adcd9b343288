// Who the client is (what its batches record) and how much of the repository's text a result may carry.
import { describe, expect, it } from 'vitest';

import { agentOf } from '../../../../controller/facades/mcp/agent.js';
import { clip, firstOf } from '../../../../controller/facades/mcp/bounds.js';

describe('the agent of an MCP session', () => {
  it('is the client of the handshake: mcp:<name> asks, <name>/<version> is the Batch-Agent trailer', () => {
    expect(agentOf({ name: 'claude-desktop', version: '0.12.1' })).toEqual({
      requestedBy: 'mcp:claude-desktop',
      trailer: 'claude-desktop/0.12.1',
    });
  });

  it('can never start another trailer line or hide text, and is bounded', () => {
    const agent = agentOf({ name: 'a\nBatch-Id: b-20261122-101500-7k3m9q\u200b', version: `${'9'.repeat(100)}\r` });
    expect(agent.requestedBy).toBe('mcp:a?Batch-Id: b-20261122-101500-7k3m9q?');
    expect(agent.trailer).toMatch(/^[\x20-\x7e]+$/);
    expect(agent.trailer.length).toBeLessThanOrEqual(141);
    expect(agentOf({ name: 'x'.repeat(500), version: '1' }).requestedBy).toHaveLength('mcp:'.length + 100);
  });

  it('has a name even when the client gave none', () => {
    expect(agentOf(undefined)).toEqual({ requestedBy: 'mcp:unknown-client', trailer: 'unknown-client/0' });
    expect(agentOf({ name: '  ', version: '' })).toEqual({ requestedBy: 'mcp:unknown-client', trailer: 'unknown-client/0' });
  });
});

describe('bounded output', () => {
  it('cuts a long string and says how much was cut', () => {
    expect(clip('short')).toBe('short');
    expect(clip('x'.repeat(510))).toBe(`${'x'.repeat(500)}… (10 more characters)`);
  });

  it('keeps the first entries of a long list and counts them all', () => {
    const { shown, total } = firstOf(Array.from({ length: 120 }, (_, i) => i));
    expect(shown).toHaveLength(50);
    expect(total).toBe(120);
  });
});
