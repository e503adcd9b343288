// Decoding a datagram (docs/interlock.md#wire-format), pure and total: every input ends as a frame
// or as one named drop reason; nothing throws. Binary frames are told from the text forms by their
// version bytes (0x01 0x00 cannot appear at offset 2 of JSON text: raw control characters are not JSON).
import { DROP, type DropReason } from './drop-reasons.js';
import { longTextSchema, payloadSchema, shortTextSchema, type Payload } from './schemas.js';
import { HEADER_BYTES, MAC_BYTES, PROTOCOL_VERSION } from './wire.js';

export interface Frame {
  form: 'binary' | 'text';
  /** the signal: a code (binary, or a numeric text type) or a name (a text type) */
  signal: number | string;
  /** Unix seconds; null when a text frame has none */
  timestamp: number | null;
  payload: Payload;
  /** the MAC after the payload, and the bytes it covers; null when unsigned */
  mac: { tag: Buffer; signed: Buffer } | null;
}

export type Decoded = { ok: true; frame: Frame } | { ok: false; reason: DropReason };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const LEFT_BRACE = 0x7b;

function drop(reason: DropReason): Decoded {
  return { ok: false, reason };
}

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; reason: DropReason } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: DROP.encoding };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: DROP.json };
  }
}

/** Text timestamps in milliseconds (JavaScript's Date.now()) are taken as such. */
const toSeconds = (ts: number | undefined): number | null => (ts === undefined ? null : ts > 1e11 ? Math.floor(ts / 1000) : Math.floor(ts));

function decodeText(bytes: Uint8Array): Decoded {
  const json = parseJson(bytes);
  if (!json.ok) return drop(json.reason);
  const short = shortTextSchema.safeParse(json.value);
  if (short.success) {
    const { t, s, d, ts } = short.data;
    return { ok: true, frame: { form: 'text', signal: t, timestamp: toSeconds(ts), payload: { ...d, sender: s }, mac: null } };
  }
  const long = longTextSchema.safeParse(json.value);
  if (long.success) {
    const { type, source, payload, timestamp } = long.data;
    return {
      ok: true,
      frame: { form: 'text', signal: type, timestamp: toSeconds(timestamp), payload: { ...payload, sender: source }, mac: null },
    };
  }
  return drop(DROP.payload);
}

/** @example const decoded = decodeFrame(datagram, { maxBytes: 8192 }); if (!decoded.ok) stats.drop(decoded.reason); */
export function decodeFrame(datagram: Buffer, { maxBytes }: { maxBytes: number }): Decoded {
  if (datagram.length > maxBytes) return drop(DROP.oversized);
  const binary = datagram.length >= HEADER_BYTES && datagram.readUInt16BE(2) === PROTOCOL_VERSION;
  if (!binary) {
    if (datagram.length > 0 && datagram[0] === LEFT_BRACE) return decodeText(datagram);
    return drop(datagram.length < HEADER_BYTES ? DROP.short : DROP.version);
  }
  const length = datagram.readUInt32BE(4);
  const end = HEADER_BYTES + length;
  const trailing = datagram.length - end;
  if (trailing !== 0 && trailing !== MAC_BYTES) return drop(DROP.length);
  const json = parseJson(datagram.subarray(HEADER_BYTES, end));
  if (!json.ok) return drop(json.reason);
  const payload = payloadSchema.safeParse(json.value);
  if (!payload.success) return drop(DROP.payload);
  return {
    ok: true,
    frame: {
      form: 'binary',
      signal: datagram.readUInt16BE(0),
      timestamp: datagram.readUInt32BE(8),
      payload: payload.data,
      mac: trailing === MAC_BYTES ? { tag: datagram.subarray(end), signed: datagram.subarray(0, end) } : null,
    },
  };
}
