// The built `batchctl serve --udp 0`: a plain dgram client's HEALTH_CHECK answered, a batch over HTTP
// seen by a configured peer as BATCH_STARTED and BATCH_COMPLETE, SHUTDOWN and exit 0 on SIGTERM.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { encodeFrame } from '../../controller/facades/udp/index.js';
import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { spawnServe, until, type ServeProcess } from '../helpers/serve-process.js';
import { udpPeer, type UdpPeer } from '../helpers/udp-peer.js';

const repos: TestRepo[] = [];
const servers: ServeProcess[] = [];
const peers: UdpPeer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
  }
  for (const p of peers.splice(0)) {
    await p.close();
  }
  for (const repo of repos.splice(0)) removeRepo(repo);
});

describe('batchctl serve --udp', () => {
  it('answers a HEALTH_CHECK, signals a batch to its peer, and says SHUTDOWN on SIGTERM', async () => {
    const other = await udpPeer();
    peers.push(other);
    const repo = gitRepo({ 'a.txt': 'a\n' });
    repo.commitAll('seed');
    repos.push(repo);
    mkdirSync(join(repo.dir, 'config'));
    writeFileSync(
      join(repo.dir, 'config', 'interlock.json'),
      JSON.stringify({ server_id: 'ctl-e2e', peers: [{ name: 'other', host: '127.0.0.1', port: other.port }] }),
    );
    const server = await spawnServe({ cwd: repo.dir, args: ['--udp', '0'] });
    servers.push(server);
    const port = server.udpPort ?? 0;
    expect(port).toBeGreaterThan(0);
    await other.next('DISCOVERY');

    await other.send(encodeFrame({ code: 0x06, timestamp: Math.floor(Date.now() / 1000), payload: { sender: 'probe', seq: 5 } }), port);
    expect((await other.next('HEALTH_RESPONSE')).payload).toMatchObject({ sender: 'ctl-e2e', in_reply_to: 5, queue_depth: 0 });

    await until(async () => (await fetch(`${server.url}/ready`)).ok, 'the server is ready');
    const response = await fetch(`${server.url}/api/batch?wait=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'udp', ecosystem: 'npm', operations: [{ type: 'write', target: 'b.txt', content: 'b\n' }] }),
    });
    const result = (await response.json()) as { batch_id: string; status: string };
    expect(result.status).toBe('completed');
    expect((await other.next('BATCH_STARTED')).payload).toMatchObject({ batch_id: result.batch_id });
    expect((await other.next('BATCH_COMPLETE')).payload).toMatchObject({ batch_id: result.batch_id, success_count: 1 });

    server.child.kill('SIGTERM');
    expect((await other.next('SHUTDOWN')).payload).toMatchObject({ sender: 'ctl-e2e' });
    expect((await server.exited).code).toBe(0);
  });
});
