// Why a datagram was dropped (docs/interlock.md#dropped-datagrams): one counter each in
// GET /api/interlock/stats. Every rejection of the decoder and the server is one of these.
export const DROP = {
  /** more bytes than max_frame_bytes */
  oversized: 'oversized',
  /** fewer than the 12 bytes of a header, and not a text frame */
  short: 'short',
  /** a binary header whose version is not 0x0100 */
  version: 'version',
  /** the header's payload length does not fit the datagram (truncated, or bytes after it that are not a MAC) */
  length: 'length',
  /** the payload is not UTF-8 */
  encoding: 'encoding',
  /** the payload (or a text frame) is not JSON */
  json: 'json',
  /** JSON, but not an InterLock message: no object, no `sender`, a field of the wrong type */
  payload: 'payload',
  /** a code (or text name) no signal has */
  unknown_signal: 'unknown_signal',
  /** a signal outside accept_signals */
  not_accepted: 'not_accepted',
  /** a shared key is set and the frame carries no MAC (text frames never do) */
  unsigned: 'unsigned',
  /** the MAC does not match */
  bad_mac: 'bad_mac',
  /** with a shared key: a timestamp more than 60 s from this clock */
  stale: 'stale',
  /** with a shared key: the same signed frame seen before */
  replay: 'replay',
  /** the source sent more than rate_limit allows */
  rate_limited: 'rate_limited',
  /** a frame naming this server as its sender (a loop) */
  self: 'self',
  /** the handler failed on it (a bug: logged, counted, never fatal) */
  internal: 'internal',
} as const;

export type DropReason = (typeof DROP)[keyof typeof DROP];
export const DROP_REASONS = Object.values(DROP);
