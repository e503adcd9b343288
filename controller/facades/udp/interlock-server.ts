// The InterLock server (docs/interlock.md): one UDP socket. Receives: rate limit per source, decode,
// name the signal, check the MAC, then (only then) the peer table and the answer. Sends: DISCOVERY at
// start, HEARTBEAT every heartbeat_seconds, engine events as signals, SHUTDOWN on close. A datagram
// can never crash the process: every path ends in a counter.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

import type { Engine } from '../../engine/index.js';
import type { Logger } from '../../log/index.js';
import { decodeFrame } from './decode-frame.js';
import { DROP } from './drop-reasons.js';
import { signalOfEvent, SIGNALLED_EVENTS } from './engine-signals.js';
import { frameGuard } from './frame-guard.js';
import { statsCounter, type InterlockStats } from './interlock-stats.js';
import { peerTable, type PeerView } from './peer-table.js';
import { sourceLimiter } from './rate-limit.js';
import { resolveSignal } from './resolve-signal.js';
import type { InterlockConfig } from './schemas.js';
import { signalTable, type SignalName } from './signals.js';
import { encodeFrame } from './wire.js';

/** Runs `fn` every `ms` until the returned function is called (tests pass a hand-cranked one). */
export type Every = (ms: number, fn: () => void) => () => void;

export interface InterlockOptions {
  config: InterlockConfig;
  engine: Pick<Engine, 'subscribe' | 'lastSeq' | 'health'>;
  /** the service's phase, told to peers in HEARTBEAT and HEALTH_RESPONSE */
  status?: () => string;
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** the clock, in ms (peer timeouts, rate limit, timestamps) */
  now?: () => number;
  every?: Every;
}

export interface InterlockHandle {
  /** the bound port (config port 0 picks a free one) */
  port: number;
  peers(): PeerView[];
  stats(): InterlockStats & { peers: number };
  /** SHUTDOWN to every peer, then close the socket */
  close(): Promise<void>;
}

const timerEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms).unref();
  return () => clearInterval(timer);
};
const silent = { info: () => undefined, warn: () => undefined };

/**
 * @example
 * const interlock = await startInterlock({ config, engine, status: () => service.phase });
 * interlock.peers(); // … later: await interlock.close();
 */
export async function startInterlock({
  config,
  engine,
  status = () => 'ready',
  logger = silent,
  now = Date.now,
  every = timerEvery,
}: InterlockOptions): Promise<InterlockHandle> {
  const table = signalTable(config.signals);
  const accepted = new Set<SignalName>(config.accept_signals);
  const guard = frameGuard({ key: config.shared_key, maxSkewSeconds: config.max_skew_seconds });
  const limiter = sourceLimiter({ perSecond: config.rate_limit.per_second, burst: config.rate_limit.burst });
  const peers = peerTable({ configured: config.peers, timeoutMs: config.peer_timeout_seconds * 1000 });
  const stats = statsCounter();
  const socket: Socket = createSocket({ type: config.host.includes(':') ? 'udp6' : 'udp4' });
  let seq = 0;
  let stopping = false;
  let closed = false;

  const send = (name: SignalName, fields: Record<string, unknown>, to: { host: string; port: number }): Promise<void> =>
    new Promise((resolve) => {
      if (closed) return resolve();
      seq += 1;
      // `seq` makes every frame distinct: two equal signals in one second are not a replay.
      const payload = { ...fields, sender: config.server_id, seq };
      const bytes = encodeFrame({ code: table.code(name), timestamp: Math.floor(now() / 1000), payload, key: config.shared_key });
      const done = (error: Error | null): void => {
        if (error) stats.sendFailed();
        else stats.sent();
        resolve();
      };
      // A send can also throw at once (a closed socket, a port out of range): counted, never a rejection.
      try {
        socket.send(bytes, to.port, to.host, done);
      } catch (error) {
        done(error as Error);
      }
    });
  const broadcast = (name: SignalName, fields: Record<string, unknown>): Promise<void> =>
    Promise.all(peers.targets().map((peer) => send(name, fields, peer))).then(() => undefined);

  const answerHealth = async (rinfo: RemoteInfo, inReplyTo: unknown): Promise<void> => {
    const health = await engine.health();
    await send(
      'HEALTH_RESPONSE',
      {
        status: status(),
        running_batch: health.running?.batch_id ?? null,
        queue_depth: health.queue_depth,
        ...(typeof inReplyTo === 'number' ? { in_reply_to: inReplyTo } : {}),
      },
      { host: rinfo.address, port: rinfo.port },
    );
  };

  const receive = (datagram: Buffer, rinfo: RemoteInfo): void => {
    stats.received();
    const nowMs = now();
    if (!limiter.take(rinfo.address, nowMs)) return stats.dropped(DROP.rate_limited);
    const decoded = decodeFrame(datagram, { maxBytes: config.max_frame_bytes });
    if (!decoded.ok) return stats.dropped(decoded.reason);
    const signal = resolveSignal(decoded.frame, { table, accepted });
    if (!signal.ok) return stats.dropped(signal.reason);
    const refused = guard.check(decoded.frame, Math.floor(nowMs / 1000));
    if (refused !== null) return stats.dropped(refused);
    const { payload } = decoded.frame;
    if (payload.sender === config.server_id) return stats.dropped(DROP.self);
    stats.accepted(signal.name);
    peers.seen({ name: payload.sender, address: rinfo.address, port: rinfo.port, signal: signal.name, nowMs });
    if (signal.name === 'HEALTH_CHECK') {
      answerHealth(rinfo, payload['seq']).catch((error: unknown) => logger.warn({ err: error }, 'interlock: health check not answered'));
    } else if (signal.name === 'DISCOVERY') {
      void send('HEARTBEAT', { status: status() }, { host: rinfo.address, port: rinfo.port });
    }
  };

  socket.on('message', (datagram, rinfo) => {
    try {
      receive(datagram, rinfo);
    } catch (error) {
      // Not reachable by any datagram the tests know; if one is found, it is counted, not fatal.
      stats.dropped(DROP.internal);
      logger.warn({ err: error }, 'interlock: a datagram failed its handler');
    }
  });
  socket.on('error', (error) => logger.warn({ err: error }, 'interlock: socket error'));

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(config.port, config.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });

  // Engine events after now become signals; a subscription dropped as slow starts again from the latest.
  let unsubscribe = (): void => undefined;
  const follow = (afterSeq: number): void => {
    unsubscribe = engine.subscribe({ after_seq: afterSeq, types: SIGNALLED_EVENTS, queue_limit: 1000 }, async (message) => {
      if (message.kind === 'event') {
        const signal = signalOfEvent(message.event);
        if (signal) await broadcast(signal.name, signal.fields);
      } else if (message.kind === 'dropped' && !stopping) {
        logger.warn({ last_seq: message.last_seq }, 'interlock: fell behind the engine events; following from the latest');
        follow(engine.lastSeq());
      }
    });
  };
  follow(engine.lastSeq());

  const stopHeartbeat = every(config.heartbeat_seconds * 1000, () => void broadcast('HEARTBEAT', { status: status() }));
  void broadcast('DISCOVERY', { status: status() });
  logger.info(
    { udp_port: socket.address().port, peers: config.peers.length, signed: config.shared_key !== undefined },
    'interlock listening',
  );

  let closing: Promise<void> | undefined;
  return {
    port: socket.address().port,
    peers: () => peers.list(now()),
    stats: () => ({ ...stats.snapshot(), peers: peers.list(now()).length }),
    close: () =>
      (closing ??= (async () => {
        stopping = true;
        stopHeartbeat();
        unsubscribe();
        await broadcast('SHUTDOWN', { status: 'stopping' });
        closed = true;
        await new Promise<void>((resolve) => socket.close(() => resolve()));
      })()),
  };
}
