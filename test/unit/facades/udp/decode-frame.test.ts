// The InterLock codec: binary frames round-trip, both text forms decode, every bad frame has its reason.
import { describe, expect, it } from 'vitest';

import {
  decodeFrame,
  DROP,
  encodeFrame,
  HEADER_BYTES,
  resolveSignal,
  SIGNAL_NAMES,
  signalTable,
  type Frame,
} from '../../../../controller/facades/udp/index.js';

const maxBytes = 8192;
const decode = (bytes: Buffer | string) => decodeFrame(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, { maxBytes });
const frameOf = (bytes: Buffer | string): Frame => {
  const decoded = decode(bytes);
  if (!decoded.ok) throw new Error(`dropped: ${decoded.reason}`);
  return decoded.frame;
};

describe('binary frames', () => {
  it('round-trips signal, timestamp and payload through the 12-byte big-endian header', () => {
    const bytes = encodeFrame({ code: 0x31, timestamp: 1_764_680_000, payload: { sender: 'batchctl', batch_id: 'b-1', n: 3 } });
    expect([...bytes.subarray(0, HEADER_BYTES)]).toEqual([
      0x00,
      0x31,
      0x01,
      0x00,
      ...[0, 0, 0, bytes.length - HEADER_BYTES],
      0x69,
      0x2e,
      0xe1,
      0x40,
    ]);
    expect(frameOf(bytes)).toEqual({
      form: 'binary',
      signal: 0x31,
      timestamp: 1_764_680_000,
      payload: { sender: 'batchctl', batch_id: 'b-1', n: 3 },
      mac: null,
    });
  });

  it('carries a 32-byte MAC after the payload that the header length excludes', () => {
    const bytes = encodeFrame({ code: 4, timestamp: 1, payload: { sender: 'a' }, key: 'k'.repeat(16) });
    const frame = frameOf(bytes);
    expect(bytes.readUInt32BE(4)).toBe(bytes.length - HEADER_BYTES - 32);
    expect(frame.mac?.tag.length).toBe(32);
    expect(frame.payload).toEqual({ sender: 'a' });
  });

  it('keeps UTF-8 text intact', () => {
    expect(frameOf(encodeFrame({ code: 4, timestamp: 0, payload: { sender: 'zürich-ä', note: '✓ 日本' } })).payload).toEqual({
      sender: 'zürich-ä',
      note: '✓ 日本',
    });
  });
});

describe('text forms', () => {
  it('decodes {"t","s","d","ts"} with a signal name', () => {
    expect(frameOf('{"t":"HEARTBEAT","s":"old-peer","d":{"load":1},"ts":1764680000}')).toEqual({
      form: 'text',
      signal: 'HEARTBEAT',
      timestamp: 1_764_680_000,
      payload: { load: 1, sender: 'old-peer' },
      mac: null,
    });
  });

  it('decodes {"type","source","payload","timestamp"} with a code, and a millisecond timestamp as seconds', () => {
    expect(frameOf('{"type":6,"source":"probe","payload":{},"timestamp":1764680000123}')).toMatchObject({
      signal: 6,
      timestamp: 1_764_680_000,
      payload: { sender: 'probe' },
    });
  });

  it('resolves names in any case and codes through the table', () => {
    const table = signalTable();
    const accepted = new Set(SIGNAL_NAMES);
    expect(resolveSignal(frameOf('{"t":"health_check","s":"x"}'), { table, accepted })).toEqual({ ok: true, name: 'HEALTH_CHECK' });
    expect(resolveSignal(frameOf('{"t":49,"s":"x"}'), { table, accepted })).toEqual({ ok: true, name: 'BATCH_COMPLETE' });
  });
});

describe('signal codes', () => {
  it('follow the overrides: HEARTBEAT 0x01 for peers of the seed spec', () => {
    const table = signalTable({ HEARTBEAT: 0x01, DISCOVERY: 0x08 });
    expect(table.code('HEARTBEAT')).toBe(1);
    expect(table.name(1)).toBe('HEARTBEAT');
    expect(table.name(4)).toBeUndefined();
  });

  it('drops a code no signal has, and a signal outside the whitelist', () => {
    const table = signalTable();
    const accepted = new Set(['HEARTBEAT'] as const);
    const frame = (code: number) => frameOf(encodeFrame({ code, timestamp: 0, payload: { sender: 'x' } }));
    expect(resolveSignal(frame(0x99), { table, accepted })).toEqual({ ok: false, reason: DROP.unknown_signal });
    expect(resolveSignal(frame(0x06), { table, accepted })).toEqual({ ok: false, reason: DROP.not_accepted });
    expect(resolveSignal(frameOf('{"t":"REBOOT","s":"x"}'), { table, accepted })).toEqual({ ok: false, reason: DROP.unknown_signal });
  });
});

describe('bad frames are dropped with their reason', () => {
  const good = encodeFrame({ code: 4, timestamp: 0, payload: { sender: 'x' } });
  const withPayload = (text: string | Buffer): Buffer => {
    const body = Buffer.from(text);
    const header = Buffer.from(good.subarray(0, HEADER_BYTES));
    header.writeUInt32BE(body.length, 4);
    return Buffer.concat([header, body]);
  };
  const cases: Array<[string, Buffer, string]> = [
    ['empty', Buffer.alloc(0), DROP.short],
    ['shorter than a header', good.subarray(0, 11), DROP.short],
    ['another version', Buffer.from(good).fill(0x02, 2, 3), DROP.version],
    ['truncated payload', good.subarray(0, good.length - 1), DROP.length],
    ['bytes after the payload that are no MAC', Buffer.concat([good, Buffer.from('xx')]), DROP.length],
    ['a length past the end', Buffer.from(good).fill(0xff, 4, 8), DROP.length],
    ['not UTF-8', withPayload(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), DROP.encoding],
    ['not JSON', withPayload('{sender:'), DROP.json],
    ['JSON but no object', withPayload('[1,2]'), DROP.payload],
    ['no sender', withPayload('{"from":"x"}'), DROP.payload],
    ['an empty sender', withPayload('{"sender":""}'), DROP.payload],
    ['a text frame without a source', Buffer.from('{"t":"HEARTBEAT","d":{}}'), DROP.payload],
    ['a text frame that is not JSON', Buffer.from('{"t":'), DROP.json],
    ['larger than max_frame_bytes', Buffer.alloc(maxBytes + 1, 0x20), DROP.oversized],
  ];
  it.each(cases)('%s', (_, bytes, reason) => {
    expect(decode(bytes)).toEqual({ ok: false, reason });
  });
});
