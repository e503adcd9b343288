// Every shape the InterLock facade reads from outside (docs/interlock.md): the JSON inside a frame,
// the two text forms, and config/interlock.json. Parsed once here; inner code trusts the types.
import { z } from 'zod';

import { DEFAULT_SIGNALS as DEFAULT_CODE, SIGNAL_NAMES, type SignalName } from './signals.js';

/** The payload of every frame: a JSON object naming its sender; other fields are the signal's. */
export const payloadSchema = z.looseObject({
  sender: z.string().min(1).max(128),
});
export type Payload = z.infer<typeof payloadSchema>;

const textType = z.union([z.string().min(1).max(64), z.number().int().min(0).max(0xffff)]);
const textData = z.record(z.string(), z.unknown()).optional();
const textTime = z.number().nonnegative().optional();

/** The short text form: `{"t": type, "s": sender, "d": data, "ts": timestamp}`. */
export const shortTextSchema = z.looseObject({ t: textType, s: payloadSchema.shape.sender, d: textData, ts: textTime });
/** The long text form: `{"type", "source", "payload", "timestamp"}`. */
export const longTextSchema = z.looseObject({
  type: textType,
  source: payloadSchema.shape.sender,
  payload: textData,
  timestamp: textTime,
});

const code = z.number().int().min(0).max(0xffff);
const seconds = (fallback: number) => z.number().int().min(1).max(86_400).default(fallback);

/** A peer's address: an IP literal or localhost (no DNS names, no broadcast or multicast). */
const peerHost = z
  .union([z.literal('localhost'), z.ipv4(), z.ipv6()])
  .refine((host) => !/^(0\.0\.0\.0|255\.255\.255\.255|2(2[4-9]|3\d)\.)/.test(host) && host !== '::', {
    message: 'an explicit unicast address (no wildcard, broadcast or multicast)',
  });

export const interlockConfigSchema = z
  .strictObject({
    /** the `sender` of every frame this server sends */
    server_id: z.string().min(1).max(128).default('batchctl'),
    /** UDP port (`serve --udp PORT` wins) */
    port: z.number().int().min(0).max(65_535).default(3022),
    /** address the socket binds */
    host: z.union([z.literal('localhost'), z.ipv4(), z.ipv6()]).default('127.0.0.1'),
    peers: z
      .array(z.strictObject({ name: z.string().min(1).max(128), host: peerHost, port: z.number().int().min(1).max(65_535) }))
      .max(256)
      .default([]),
    /** the signals accepted from peers (a whitelist); others are dropped as not_accepted */
    accept_signals: z.array(z.enum(SIGNAL_NAMES)).default([...SIGNAL_NAMES]),
    /** code overrides, e.g. {"HEARTBEAT": 1, "DISCOVERY": 8} for peers of the seed spec */
    signals: z.partialRecord(z.enum(SIGNAL_NAMES), code).default({}),
    heartbeat_seconds: seconds(30),
    peer_timeout_seconds: seconds(90),
    /** HMAC-SHA256 key shared with every peer (BATCHCTL_INTERLOCK_KEY wins); unset: frames are not signed */
    shared_key: z.string().min(16, 'use at least 16 characters').optional(),
    /** signed frames further than this from the local clock are stale */
    max_skew_seconds: z.number().int().min(1).max(3600).default(60),
    /** larger datagrams are dropped unread */
    max_frame_bytes: z.number().int().min(64).max(65_507).default(8192),
    /** per source address: a bucket of `burst` frames refilled at `per_second` */
    rate_limit: z
      .strictObject({ per_second: z.number().positive().max(100_000), burst: z.number().int().min(1).max(100_000) })
      .default({ per_second: 50, burst: 100 }),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<number, SignalName>();
    for (const name of SIGNAL_NAMES) {
      const value = config.signals[name] ?? DEFAULT_CODE[name];
      const other = seen.get(value);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['signals', name],
          message: `code ${value} is ${other}'s too; give one of them another code`,
        });
      }
      seen.set(value, name);
    }
    const names = new Set<string>();
    config.peers.forEach((peer, i) => {
      if (names.has(peer.name)) ctx.addIssue({ code: 'custom', path: ['peers', i, 'name'], message: `${peer.name} twice` });
      names.add(peer.name);
    });
    if (config.peer_timeout_seconds <= config.heartbeat_seconds) {
      ctx.addIssue({ code: 'custom', path: ['peer_timeout_seconds'], message: 'must be longer than heartbeat_seconds' });
    }
  });

export type InterlockConfig = z.output<typeof interlockConfigSchema>;
export type InterlockConfigInput = z.input<typeof interlockConfigSchema>;
