// InterLock inside `batchctl serve` (app/serve.ts): config/interlock.json read from the repository,
// the peer table and counters over HTTP for a viewer and in /metrics, a bad config refused by field, SHUTDOWN on stop.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { addToken, startService, type Service } from '../../../controller/app/index.js';
import { encodeFrame } from '../../../controller/facades/udp/index.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { udpPeer, type UdpPeer } from '../../helpers/udp-peer.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function repoWith(config: unknown): TestRepo {
  const repo = gitRepo({ 'a.txt': 'a\n' });
  repo.commitAll('seed');
  mkdirSync(join(repo.dir, 'config'));
  writeFileSync(join(repo.dir, 'config', 'interlock.json'), typeof config === 'string' ? config : JSON.stringify(config));
  cleanups.push(() => removeRepo(repo));
  return repo;
}

function tokens(): { file: string; viewer: string } {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-udp-tokens-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'tokens.jsonl');
  return { file, viewer: addToken({ file, name: 'dash', role: 'viewer' }) };
}

async function serve(repo: TestRepo, env: Record<string, string> = {}): Promise<Service> {
  const service = await startService({
    repo: repo.dir,
    env: { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'batchctl@localhost', ...env },
    httpPort: 0,
    wsPort: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    udp: { port: 0 },
  });
  await service.ready;
  cleanups.push(() => service.shutdown());
  return service;
}

async function peer(): Promise<UdpPeer> {
  const p = await udpPeer();
  cleanups.push(() => p.close());
  return p;
}

describe('serve --udp', () => {
  it('shows its peers and counters to a viewer over HTTP, and tells the peers SHUTDOWN on stop', async () => {
    const other = await peer();
    const repo = repoWith({ server_id: 'ctl', peers: [{ name: 'other', host: '127.0.0.1', port: other.port }] });
    const { file, viewer } = tokens();
    const service = await serve(repo, { BATCHCTL_TOKENS_FILE: file });
    expect(service.udpPort).toBeGreaterThan(0);
    await other.next('DISCOVERY');
    await other.send(
      encodeFrame({ code: 0x04, timestamp: Math.floor(Date.now() / 1000), payload: { sender: 'other' } }),
      service.udpPort ?? 0,
    );
    await other.send(encodeFrame({ code: 0x06, timestamp: 0, payload: { sender: 'other' } }), service.udpPort ?? 0);
    expect((await other.next('HEALTH_RESPONSE')).payload).toMatchObject({ status: 'ready', queue_depth: 0 });

    const url = `http://127.0.0.1:${service.http.port}`;
    expect((await fetch(`${url}/api/interlock/peers`)).status).toBe(401);
    const peers = await fetch(`${url}/api/interlock/peers`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(peers.status).toBe(200);
    expect(await peers.json()).toEqual({
      peers: [expect.objectContaining({ name: 'other', configured: true, status: 'up', last_signal: 'HEALTH_CHECK', frames: 2 })],
    });
    const stats = await fetch(`${url}/api/interlock/stats`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(await stats.json()).toMatchObject({ received: 2, accepted: 2, peers: 1, dropped: { bad_mac: 0 } });
    await other.send(Buffer.from([0xde, 0xad]), service.udpPort ?? 0);
    await other.send(encodeFrame({ code: 0x06, timestamp: 0, payload: { sender: 'other', seq: 3 } }), service.udpPort ?? 0);
    await other.next('HEALTH_RESPONSE', (f) => f.payload['in_reply_to'] === 3);
    const metrics = await (await fetch(`${url}/metrics`)).text(); // open on loopback
    expect(metrics).toContain('batchctl_interlock_datagrams_total{kind="received"} 4');
    expect(metrics).toContain('batchctl_interlock_datagrams_total{kind="accepted"} 3');
    expect(metrics).toContain('batchctl_interlock_dropped_total{reason="short"} 1');
    expect(metrics).toContain('batchctl_interlock_peers{status="up"} 1');

    await service.shutdown();
    expect((await other.next('SHUTDOWN')).payload).toMatchObject({ sender: 'ctl' });
  });

  it('refuses to start on a bad config/interlock.json, naming the field', async () => {
    const repo = repoWith({ peers: [{ name: 'x', host: 'peer.example.com', port: 3022 }] });
    await expect(serve(repo)).rejects.toMatchObject({ code: 'CONFIG_INVALID', data: { field: 'peers.0.host' } });
  });

  it('signs with BATCHCTL_INTERLOCK_KEY and drops an unsigned frame', async () => {
    const repo = repoWith({});
    const key = 'key-from-the-environment';
    const service = await serve(repo, { BATCHCTL_INTERLOCK_KEY: key });
    const probe = await peer();
    const now = Math.floor(Date.now() / 1000);
    await probe.send(encodeFrame({ code: 0x06, timestamp: now, payload: { sender: 'p', seq: 1 } }), service.udpPort ?? 0);
    await probe.send(encodeFrame({ code: 0x06, timestamp: now, payload: { sender: 'p', seq: 2 }, key }), service.udpPort ?? 0);
    const answer = await probe.next('HEALTH_RESPONSE');
    expect(answer.payload['in_reply_to']).toBe(2);
    expect(answer.mac).not.toBeNull();
  });
});
