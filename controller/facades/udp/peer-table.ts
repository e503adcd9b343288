// The peers (docs/interlock.md#peers): the configured ones from the start, others once they speak
// (bounded). A peer is up while its last frame is younger than peer_timeout_seconds, down after,
// stopped after its SHUTDOWN until it speaks again, unknown until it first speaks.
import type { SignalName } from './signals.js';

export type PeerStatus = 'unknown' | 'up' | 'down' | 'stopped';

export interface PeerView {
  name: string;
  /** where frames go (configured) or came from (last seen) */
  host: string | null;
  port: number | null;
  configured: boolean;
  status: PeerStatus;
  /** ISO time of its last accepted frame, or null */
  last_seen: string | null;
  last_signal: SignalName | null;
  frames: number;
}

interface Peer {
  name: string;
  host: string | null;
  port: number | null;
  configured: boolean;
  lastSeenMs: number | null;
  lastSignal: SignalName | null;
  stopped: boolean;
  frames: number;
}

export interface PeerTable {
  /** an accepted frame from `name` at `source` */
  seen(args: { name: string; address: string; port: number; signal: SignalName; nowMs: number }): void;
  list(nowMs: number): PeerView[];
  /** the configured peers: where heartbeats and event signals go */
  targets(): Array<{ name: string; host: string; port: number }>;
}

/** Peers that were never configured, kept at most (a hostile sender could invent names). */
const MAX_DISCOVERED = 64;

/** @example const peers = peerTable({ configured: config.peers, timeoutMs: 90_000 }); */
export function peerTable({
  configured,
  timeoutMs,
}: {
  configured: ReadonlyArray<{ name: string; host: string; port: number }>;
  timeoutMs: number;
}): PeerTable {
  const peers = new Map<string, Peer>();
  for (const p of configured) {
    peers.set(p.name, { ...p, configured: true, lastSeenMs: null, lastSignal: null, stopped: false, frames: 0 });
  }
  let discovered = 0;
  const statusOf = (peer: Peer, nowMs: number): PeerStatus => {
    if (peer.lastSeenMs === null) return 'unknown';
    if (peer.stopped) return 'stopped';
    return nowMs - peer.lastSeenMs <= timeoutMs ? 'up' : 'down';
  };
  return {
    seen({ name, address, port, signal, nowMs }) {
      let peer = peers.get(name);
      if (!peer) {
        if (discovered >= MAX_DISCOVERED) return;
        discovered += 1;
        peer = { name, host: null, port: null, configured: false, lastSeenMs: null, lastSignal: null, stopped: false, frames: 0 };
        peers.set(name, peer);
      }
      if (!peer.configured) {
        peer.host = address;
        peer.port = port;
      }
      peer.lastSeenMs = nowMs;
      peer.lastSignal = signal;
      peer.stopped = signal === 'SHUTDOWN';
      peer.frames += 1;
    },
    list: (nowMs) =>
      [...peers.values()].map((p) => ({
        name: p.name,
        host: p.host,
        port: p.port,
        configured: p.configured,
        status: statusOf(p, nowMs),
        last_seen: p.lastSeenMs === null ? null : new Date(p.lastSeenMs).toISOString(),
        last_signal: p.lastSignal,
        frames: p.frames,
      })),
    targets: () => configured.map(({ name, host, port }) => ({ name, host, port })),
  };
}
