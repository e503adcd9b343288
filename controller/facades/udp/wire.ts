// The InterLock wire format (docs/interlock.md#wire-format), pure: a 12-byte big-endian header
// (signal u16, version u16 = 0x0100, payload length u32, timestamp u32 Unix seconds), the UTF-8 JSON
// payload, then, when signed, a 32-byte HMAC-SHA256 of header + payload. The header's length excludes
// the MAC, so a peer without a key still decodes a signed frame.
import { createHmac } from 'node:crypto';

import type { Payload } from './schemas.js';

export const HEADER_BYTES = 12;
export const PROTOCOL_VERSION = 0x0100;
export const MAC_BYTES = 32;

export interface EncodeArgs {
  code: number;
  /** Unix seconds */
  timestamp: number;
  payload: Payload;
  /** the shared key: the frame carries an HMAC-SHA256 after its payload */
  key?: string | undefined;
}

/** @example const bytes = encodeFrame({ code: 0x04, timestamp: 1764680000, payload: { sender: 'batchctl' } }); */
export function encodeFrame({ code, timestamp, payload, key }: EncodeArgs): Buffer {
  const json = JSON.stringify(payload);
  const length = Buffer.byteLength(json, 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + length + (key === undefined ? 0 : MAC_BYTES));
  frame.writeUInt16BE(code, 0);
  frame.writeUInt16BE(PROTOCOL_VERSION, 2);
  frame.writeUInt32BE(length, 4);
  frame.writeUInt32BE(timestamp >>> 0, 8);
  frame.write(json, HEADER_BYTES, 'utf8');
  if (key !== undefined) macOf(frame.subarray(0, HEADER_BYTES + length), key).copy(frame, HEADER_BYTES + length);
  return frame;
}

export function macOf(signed: Uint8Array, key: string): Buffer {
  return createHmac('sha256', key).update(signed).digest();
}
