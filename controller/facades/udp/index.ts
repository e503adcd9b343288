// facades/udp: the InterLock peer protocol of `batchctl serve --udp` (docs/interlock.md).
export { decodeFrame, type Decoded, type Frame } from './decode-frame.js';
export { DROP, DROP_REASONS, type DropReason } from './drop-reasons.js';
export { frameGuard, type FrameGuard } from './frame-guard.js';
export type { InterlockStats } from './interlock-stats.js';
export type { PeerStatus, PeerView } from './peer-table.js';
export { resolveSignal } from './resolve-signal.js';
export { interlockConfigSchema, payloadSchema, type InterlockConfig, type InterlockConfigInput, type Payload } from './schemas.js';
export { DEFAULT_SIGNALS, SIGNAL_NAMES, signalTable, type SignalName, type SignalTable } from './signals.js';
export { encodeFrame, HEADER_BYTES, MAC_BYTES, PROTOCOL_VERSION } from './wire.js';
export { EVENT_SIGNALS, signalOfEvent } from './engine-signals.js';
export { startInterlock, type Every, type InterlockHandle, type InterlockOptions } from './interlock-server.js';
