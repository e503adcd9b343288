// A plain dgram socket on 127.0.0.1 playing an InterLock peer: it records every datagram it gets and
// `next(pred)` resolves with the first (past or future) frame that matches. Also a hand-cranked clock
// and interval for the server's heartbeats and timeouts (no sleeps, no timers in tests).
import { createSocket, type Socket } from 'node:dgram';

import { decodeFrame, signalTable, type Every, type Frame, type SignalName } from '../../controller/facades/udp/index.js';

export interface UdpPeer {
  socket: Socket;
  port: number;
  frames: Frame[];
  /** the first frame with this signal name (default codes) that also matches `pred` */
  next(signal: SignalName, pred?: (frame: Frame) => boolean): Promise<Frame>;
  send(bytes: Buffer | string, port: number): Promise<void>;
  close(): Promise<void>;
}

const table = signalTable();

export async function udpPeer(): Promise<UdpPeer> {
  const socket = createSocket('udp4');
  const frames: Frame[] = [];
  const waiting: Array<{ signal: SignalName; pred: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  const matches = (frame: Frame, signal: SignalName, pred: (f: Frame) => boolean): boolean =>
    (typeof frame.signal === 'number' ? table.name(frame.signal) : frame.signal) === signal && pred(frame);
  socket.on('message', (bytes) => {
    const decoded = decodeFrame(bytes, { maxBytes: 65_507 });
    if (!decoded.ok) throw new Error(`the server sent a bad frame: ${decoded.reason}`);
    frames.push(decoded.frame);
    for (const w of [...waiting]) {
      if (matches(decoded.frame, w.signal, w.pred)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(decoded.frame);
      }
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    socket,
    port: socket.address().port,
    frames,
    next: (signal, pred = () => true) =>
      new Promise((resolve) => {
        const found = frames.find((f) => matches(f, signal, pred));
        if (found) resolve(found);
        else waiting.push({ signal, pred, resolve });
      }),
    send: (bytes, port) => new Promise((resolve, reject) => socket.send(bytes, port, '127.0.0.1', (e) => (e ? reject(e) : resolve()))),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** A clock and an interval that move only when the test says so. */
export function handClock(startMs = Date.UTC(2026, 11, 2, 12)): {
  now: () => number;
  every: Every;
  advance(ms: number): void;
  tick(): void;
} {
  let now = startMs;
  const jobs = new Set<() => void>();
  return {
    now: () => now,
    every: (_ms, fn) => {
      jobs.add(fn);
      return () => jobs.delete(fn);
    },
    advance: (ms) => void (now += ms),
    tick: () => jobs.forEach((fn) => fn()),
  };
}
