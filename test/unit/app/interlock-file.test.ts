// config/interlock.json: defaults without a file, every bad field refused by name (CONFIG_INVALID),
// BATCHCTL_INTERLOCK_KEY as the shared key.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { readInterlockFile } from '../../../controller/app/interlock-file.js';
import { BatchctlError } from '../../../controller/errors/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function root(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-interlock-'));
  dirs.push(dir);
  if (config !== undefined) {
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config', 'interlock.json'), config);
  }
  return dir;
}
function refusal(config: unknown): { code: string; field: unknown; message: string } {
  try {
    readInterlockFile({ root: root(typeof config === 'string' ? config : JSON.stringify(config)) });
  } catch (error) {
    if (!(error instanceof BatchctlError)) throw error;
    return { code: error.code, field: (error.data as { field?: unknown }).field, message: error.message };
  }
  throw new Error('accepted');
}

describe('config/interlock.json', () => {
  it('has the protocol defaults without a file', () => {
    expect(readInterlockFile({ root: root() })).toMatchObject({
      server_id: 'batchctl',
      port: 3022,
      host: '127.0.0.1',
      peers: [],
      heartbeat_seconds: 30,
      peer_timeout_seconds: 90,
      max_skew_seconds: 60,
      signals: {},
    });
  });

  it('reads peers, overrides and the whitelist', () => {
    const config = readInterlockFile({
      root: root(
        JSON.stringify({
          server_id: 'ctl-1',
          peers: [{ name: 'seed', host: '127.0.0.1', port: 3023 }],
          signals: { HEARTBEAT: 1, DISCOVERY: 8 },
          accept_signals: ['HEARTBEAT', 'HEALTH_CHECK'],
        }),
      ),
    });
    expect(config).toMatchObject({
      server_id: 'ctl-1',
      signals: { HEARTBEAT: 1, DISCOVERY: 8 },
      accept_signals: ['HEARTBEAT', 'HEALTH_CHECK'],
    });
  });

  it('takes the shared key from BATCHCTL_INTERLOCK_KEY over the file', () => {
    const dir = root(JSON.stringify({ shared_key: 'the-key-in-the-file' }));
    expect(readInterlockFile({ root: dir, key: 'the-key-from-the-env' }).shared_key).toBe('the-key-from-the-env');
  });

  it.each([
    ['not JSON', '{"port": ', ''],
    ['an unknown key', { server_id: 'x', heartbeat: 5 }, 'heartbeat'],
    ['a port out of range', { port: 70_000 }, 'port'],
    ['a peer by DNS name', { peers: [{ name: 'a', host: 'example.com', port: 1 }] }, 'peers.0.host'],
    ['a broadcast peer', { peers: [{ name: 'a', host: '255.255.255.255', port: 1 }] }, 'peers.0.host'],
    ['a multicast peer', { peers: [{ name: 'a', host: '239.1.2.3', port: 1 }] }, 'peers.0.host'],
    ['an unknown key of a peer', { peers: [{ name: 'a', host: '127.0.0.1', port: 1, key: 'x' }] }, 'peers.0.key'],
    [
      'a peer twice',
      {
        peers: [
          { name: 'a', host: '127.0.0.1', port: 1 },
          { name: 'a', host: '127.0.0.1', port: 2 },
        ],
      },
      'peers.1.name',
    ],
    ['an unknown signal name', { accept_signals: ['REBOOT'] }, 'accept_signals.0'],
    ['HEARTBEAT 0x01 without moving DISCOVERY', { signals: { HEARTBEAT: 1 } }, 'signals.HEARTBEAT'],
    ['a code past 16 bits', { signals: { BATCH_FAILED: 65_536 } }, 'signals.BATCH_FAILED'],
    ['a short key', { shared_key: 'short' }, 'shared_key'],
    ['a timeout not longer than the heartbeat', { heartbeat_seconds: 30, peer_timeout_seconds: 30 }, 'peer_timeout_seconds'],
  ])('refuses %s, naming the field', (_, config, field) => {
    expect(refusal(config)).toMatchObject({ code: 'CONFIG_INVALID', field });
  });
});
