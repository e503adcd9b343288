// The InterLock facade on real UDP sockets on 127.0.0.1, with a real engine: HEALTH_CHECK answered to
// the sender, both encodings, heartbeats and peer timeouts on a hand-cranked clock, bad frames dropped
// and counted, signing (accept, reject, replay, stale), the rate limit, engine events as signals to a
// peer, and SHUTDOWN on close. Order on loopback is kept, so a good frame sent after bad ones and
// answered proves the bad ones were handled (no sleeps).
import { createHmac } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import {
  encodeFrame,
  interlockConfigSchema,
  startInterlock,
  type InterlockConfigInput,
  type InterlockHandle,
} from '../../../controller/facades/udp/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { handClock, udpPeer, type UdpPeer } from '../../helpers/udp-peer.js';

const setup = useEngineRepos();
const open: Array<InterlockHandle | UdpPeer> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const KEY = 'a-shared-key-of-32-characters!!!';

async function peer(): Promise<UdpPeer> {
  const p = await udpPeer();
  open.push(p);
  return p;
}

async function server(config: Partial<InterlockConfigInput> = {}, clock = handClock()) {
  const { engine } = await setup();
  const interlock = await startInterlock({
    config: interlockConfigSchema.parse({ port: 0, server_id: 'ctl', ...config }),
    engine,
    now: clock.now,
    every: clock.every,
  });
  open.push(interlock);
  return { interlock, engine, clock };
}

const sec = (ms: number) => Math.floor(ms / 1000);
const check = (nowMs: number, fields: Record<string, unknown> = {}, key?: string) =>
  encodeFrame({ code: 0x06, timestamp: sec(nowMs), payload: { sender: 'probe', ...fields }, key });

describe('HEALTH_CHECK', () => {
  it('is answered with HEALTH_RESPONSE to the address and port it came from', async () => {
    const { interlock, clock } = await server();
    const probe = await peer();
    await probe.send(check(clock.now(), { seq: 7 }), interlock.port);
    const answer = await probe.next('HEALTH_RESPONSE');
    expect(answer).toMatchObject({
      form: 'binary',
      timestamp: sec(clock.now()),
      payload: { sender: 'ctl', status: 'ready', running_batch: null, queue_depth: 0, in_reply_to: 7 },
      mac: null,
    });
    expect(interlock.peers()).toEqual([expect.objectContaining({ name: 'probe', configured: false, status: 'up', port: probe.port })]);
  });

  it('is read in both text forms, and answered in binary', async () => {
    const { interlock } = await server();
    const probe = await peer();
    await probe.send('{"t":"HEALTH_CHECK","s":"short-form","d":{"seq":1}}', interlock.port);
    await probe.send('{"type":6,"source":"long-form","payload":{"seq":2},"timestamp":1764680000}', interlock.port);
    expect((await probe.next('HEALTH_RESPONSE', (f) => f.payload['in_reply_to'] === 1)).form).toBe('binary');
    expect((await probe.next('HEALTH_RESPONSE', (f) => f.payload['in_reply_to'] === 2)).form).toBe('binary');
    expect(interlock.stats()).toMatchObject({ received: 2, accepted: 2, sent: 2, accepted_by_signal: { HEALTH_CHECK: 2 } });
  });
});

describe('peers', () => {
  it('get DISCOVERY at start and a HEARTBEAT each interval; they are up while they speak and down after the timeout', async () => {
    const other = await peer();
    const { interlock, clock } = await server({ peers: [{ name: 'other', host: '127.0.0.1', port: other.port }] });
    expect((await other.next('DISCOVERY')).payload).toMatchObject({ sender: 'ctl', status: 'ready' });
    expect(interlock.peers()).toEqual([expect.objectContaining({ name: 'other', configured: true, status: 'unknown', last_seen: null })]);

    clock.tick();
    await other.next('HEARTBEAT');
    await other.send(encodeFrame({ code: 0x04, timestamp: sec(clock.now()), payload: { sender: 'other' } }), interlock.port);
    await other.send(check(clock.now()), interlock.port);
    await other.next('HEALTH_RESPONSE');
    expect(interlock.peers().find((p) => p.name === 'other')).toMatchObject({
      status: 'up',
      last_seen: new Date(clock.now()).toISOString(),
      last_signal: 'HEARTBEAT',
      frames: 1,
    });

    clock.advance(90_000);
    expect(interlock.peers().find((p) => p.name === 'other')?.status).toBe('up');
    clock.advance(1);
    expect(interlock.peers().find((p) => p.name === 'other')?.status).toBe('down');
  });

  it("speak the seed spec's HEARTBEAT 0x01 when the config moves the codes", async () => {
    const old = await peer();
    const { interlock, clock } = await server({
      signals: { HEARTBEAT: 0x01, DISCOVERY: 0x08 },
      peers: [{ name: 'old', host: '127.0.0.1', port: old.port }],
    });
    clock.tick();
    // The helper names codes by the defaults: 0x01 reads as DISCOVERY there, 0x08 as nothing.
    const heartbeat = await old.next('DISCOVERY', (f) => f.payload['seq'] === 2);
    expect(heartbeat.signal).toBe(0x01);
    expect(old.frames[0]?.signal).toBe(0x08); // the DISCOVERY at start
    await old.send(encodeFrame({ code: 0x01, timestamp: sec(clock.now()), payload: { sender: 'old' } }), interlock.port);
    await old.send(check(clock.now()), interlock.port);
    await old.next('HEALTH_RESPONSE');
    expect(interlock.peers().find((p) => p.name === 'old')?.last_signal).toBe('HEARTBEAT'); // 0x01 read as HEARTBEAT
    expect(interlock.stats().accepted_by_signal).toEqual({ HEARTBEAT: 1, HEALTH_CHECK: 1 });
  });

  it('shows a peer that sent SHUTDOWN as stopped', async () => {
    const { interlock, clock } = await server();
    const other = await peer();
    await other.send(encodeFrame({ code: 0x05, timestamp: sec(clock.now()), payload: { sender: 'leaving' } }), interlock.port);
    await other.send(check(clock.now()), interlock.port);
    await other.next('HEALTH_RESPONSE');
    expect(interlock.peers().find((p) => p.name === 'leaving')?.status).toBe('stopped');
  });

  it('answers DISCOVERY from anyone with a HEARTBEAT', async () => {
    const { interlock, clock } = await server();
    const other = await peer();
    await other.send(encodeFrame({ code: 0x01, timestamp: sec(clock.now()), payload: { sender: 'newcomer' } }), interlock.port);
    expect((await other.next('HEARTBEAT')).payload).toMatchObject({ sender: 'ctl' });
  });

  it('that cannot be sent to are counted as send_failed, and the server goes on', async () => {
    const { interlock, clock } = await server({ peers: [{ name: 'v6-only', host: '::1', port: 3022 }] }); // a udp4 socket
    while (interlock.stats().send_failed === 0) await new Promise(setImmediate);
    const probe = await peer();
    await probe.send(check(clock.now()), interlock.port);
    await probe.next('HEALTH_RESPONSE');
    expect(interlock.stats()).toMatchObject({ send_failed: 1, sent: 1 });
  });

  it('are told SHUTDOWN when the server closes', async () => {
    const other = await peer();
    const { interlock } = await server({ peers: [{ name: 'other', host: '127.0.0.1', port: other.port }] });
    await interlock.close();
    expect((await other.next('SHUTDOWN')).payload).toMatchObject({ sender: 'ctl', status: 'stopping' });
  });
});

describe('bad datagrams', () => {
  it('are dropped, counted by reason, and change nothing', async () => {
    const { interlock, clock } = await server({ accept_signals: ['HEALTH_CHECK'] });
    const probe = await peer();
    const good = check(clock.now());
    const wrongVersion = Buffer.from(good);
    wrongVersion.writeUInt16BE(0x0200, 2);
    const lengthMismatch = Buffer.from(good);
    lengthMismatch.writeUInt32BE(good.length, 4);
    const badJson = Buffer.concat([good.subarray(0, 12), Buffer.from('{nope}')]);
    badJson.writeUInt32BE(6, 4);
    for (const bytes of [
      Buffer.from([1, 2, 3]),
      wrongVersion,
      lengthMismatch,
      badJson,
      encodeFrame({ code: 0x99, timestamp: 0, payload: { sender: 'x' } }),
      encodeFrame({ code: 0x04, timestamp: 0, payload: { sender: 'x' } }),
      encodeFrame({ code: 0x06, timestamp: 0, payload: { sender: 'ctl' } }),
      Buffer.alloc(9000, 0x7b),
    ])
      await probe.send(bytes, interlock.port);
    await probe.send(good, interlock.port);
    await probe.next('HEALTH_RESPONSE');
    expect(interlock.stats()).toMatchObject({
      received: 9,
      accepted: 1,
      dropped_total: 8,
      dropped: { short: 1, version: 1, length: 1, json: 1, unknown_signal: 1, not_accepted: 1, self: 1, oversized: 1 },
    });
    expect(interlock.peers().map((p) => p.name)).toEqual(['probe']);
  });

  it('over the per-source rate limit are dropped', async () => {
    const { interlock, clock } = await server({ rate_limit: { per_second: 1, burst: 3 } });
    const probe = await peer();
    for (let i = 0; i < 5; i++) await probe.send(check(clock.now(), { seq: i }), interlock.port);
    await probe.next('HEALTH_RESPONSE', (f) => f.payload['in_reply_to'] === 2);
    clock.advance(1000); // one token back
    await probe.send(check(clock.now(), { seq: 9 }), interlock.port);
    await probe.next('HEALTH_RESPONSE', (f) => f.payload['in_reply_to'] === 9);
    expect(interlock.stats()).toMatchObject({ received: 6, accepted: 4, dropped: { rate_limited: 2 } });
  });
});

describe('a stream of hostile datagrams', () => {
  it('leaves the server answering, with every datagram accepted or dropped by reason', async () => {
    const { interlock, clock } = await server({ rate_limit: { per_second: 1, burst: 100_000 } });
    const probe = await peer();
    const valid = check(clock.now());
    // Seeded (a linear congruential generator): random bytes, and valid frames with bytes flipped or cut.
    let state = 20261202;
    const random = (n: number): number => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
    for (let i = 0; i < 500; i++) {
      const bytes = i % 2 === 0 ? Buffer.from(Array.from({ length: random(300) }, () => random(256))) : Buffer.from(valid);
      if (i % 2 === 1) for (let k = 0; k < 3; k++) bytes[random(bytes.length)] = random(256);
      await probe.send(i % 6 === 1 ? bytes.subarray(0, random(bytes.length)) : bytes, interlock.port);
      // One in flight at a time: a burst from this same process would overflow the socket's receive
      // buffer, and the kernel would drop datagrams before the server could count them.
      while (interlock.stats().received <= i) await new Promise(setImmediate);
    }
    await probe.send(check(clock.now(), { seq: 424242 }), interlock.port);
    await probe.next('HEALTH_RESPONSE', (f) => f.payload['in_reply_to'] === 424242);
    const stats = interlock.stats();
    expect(stats.received).toBe(501);
    expect(stats.accepted + stats.dropped_total).toBe(stats.received);
    expect(stats.dropped.internal).toBe(0);
  });
});

describe('with a shared key', () => {
  it('accepts a signed frame and signs its answer', async () => {
    const { interlock, clock } = await server({ shared_key: KEY });
    const probe = await peer();
    await probe.send(check(clock.now(), { seq: 1 }, KEY), interlock.port);
    const answer = await probe.next('HEALTH_RESPONSE');
    expect(answer.mac?.tag.equals(createHmac('sha256', KEY).update(answer.mac.signed).digest())).toBe(true);
  });

  it('drops unsigned, wrongly signed, replayed and stale frames before they touch the peer table', async () => {
    const { interlock, clock } = await server({ shared_key: KEY });
    const probe = await peer();
    const signed = check(clock.now(), { seq: 1 }, KEY);
    const forged = Buffer.from(signed);
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 0xff;
    const tampered = Buffer.from(signed);
    tampered.writeUInt32BE(sec(clock.now()) + 1, 8);
    for (const bytes of [
      check(clock.now(), { sender: 'unsigned' }),
      '{"t":"HEALTH_CHECK","s":"text-form"}',
      encodeFrame({ code: 0x06, timestamp: sec(clock.now()), payload: { sender: 'wrong-key' }, key: 'not-the-key-at-all' }),
      forged,
      tampered,
      check(clock.now() - 61_000, { sender: 'stale' }, KEY),
      check(clock.now() + 61_000, { sender: 'future' }, KEY),
    ])
      await probe.send(bytes, interlock.port);
    await probe.send(signed, interlock.port);
    await probe.send(signed, interlock.port); // the replay
    await probe.send(check(clock.now(), { seq: 2 }, KEY), interlock.port);
    // Answers wait for engine.health(), so they may cross; the drops were counted as each datagram came.
    await probe.next('HEALTH_RESPONSE', (f) => f.payload['in_reply_to'] === 2);
    await probe.next('HEALTH_RESPONSE', (f) => f.payload['in_reply_to'] === 1);
    expect(probe.frames.filter((f) => f.payload['in_reply_to'] === 1)).toHaveLength(1);
    expect(interlock.stats()).toMatchObject({
      accepted: 2,
      dropped: { unsigned: 2, bad_mac: 3, stale: 2, replay: 1 },
    });
    expect(interlock.peers().map((p) => p.name)).toEqual(['probe']);
  });
});

describe('engine events', () => {
  it('reach a peer as BATCH_STARTED and BATCH_COMPLETE for a real batch', async () => {
    const other = await peer();
    const { engine } = await server({ peers: [{ name: 'other', host: '127.0.0.1', port: other.port }] });
    const result = await engine.run(batch({ operations: [{ type: 'write', target: 'hello.txt', content: 'hi\n' }] }));
    expect(result.status).toBe('completed');
    const started = await other.next('BATCH_STARTED');
    const complete = await other.next('BATCH_COMPLETE');
    expect(started.payload).toMatchObject({ sender: 'ctl', batch_id: result.batch_id, outcome: 'batch_started', total: 1 });
    expect(complete.payload).toMatchObject({
      sender: 'ctl',
      batch_id: result.batch_id,
      outcome: 'batch_complete',
      success_count: 1,
      failure_count: 0,
      commit: result.commit,
    });
    expect(complete.payload['event_seq']).toBeGreaterThan(started.payload['event_seq'] as number);
  });

  it('reach a peer as ROLLBACK_STARTED and ROLLBACK_COMPLETE, and a failed batch as BATCH_FAILED', async () => {
    const other = await peer();
    const { engine } = await server({ peers: [{ name: 'other', host: '127.0.0.1', port: other.port }] });
    const done = await engine.run(batch({ operations: [{ type: 'write', target: 'hello.txt', content: 'hi\n' }] }));
    const rollback = await engine.rollback(done.batch_id);
    expect((await other.next('ROLLBACK_STARTED')).payload).toMatchObject({ batch_id: done.batch_id, outcome: 'rollback_started' });
    expect((await other.next('ROLLBACK_COMPLETE')).payload).toMatchObject({
      batch_id: done.batch_id,
      rollback_batch_id: rollback.rollback_batch_id,
      status: 'completed',
    });

    const failed = await engine.run(
      batch({ options: { atomic: true }, operations: [{ type: 'replace', target: 'nothing-here.txt', find: 'absent', replace: 'y' }] }),
    );
    expect(failed.status).not.toBe('completed');
    expect((await other.next('BATCH_FAILED')).payload).toMatchObject({ batch_id: failed.batch_id, failure_count: failed.failure_count });
  });
});
