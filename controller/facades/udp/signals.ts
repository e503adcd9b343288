// InterLock signal codes (docs/interlock.md#signals): the protocol's core codes and batchctl's own,
// each overridable in config/interlock.json. Names are the stable identity; codes are what travels.

/** The default code of every signal batchctl knows. */
export const DEFAULT_SIGNALS = {
  /** "who is there": sent to each peer at start; answered with a HEARTBEAT */
  DISCOVERY: 0x01,
  /**
   * "still alive", every heartbeat_seconds. The seed spec said 0x01: that predates the protocol's move
   * of HEARTBEAT to 0x04 (0x01 became DISCOVERY). Old peers: set HEARTBEAT to 1 and move DISCOVERY.
   */
  HEARTBEAT: 0x04,
  /** "going away": sent on a graceful stop; the peer is shown as stopped until it speaks again */
  SHUTDOWN: 0x05,
  /** "how are you": answered with HEALTH_RESPONSE to the sender's address and port */
  HEALTH_CHECK: 0x06,
  HEALTH_RESPONSE: 0x07,
  BATCH_STARTED: 0x30,
  BATCH_COMPLETE: 0x31,
  /** a batch that ended without landing: failed, cancelled or refused (`outcome` says which) */
  BATCH_FAILED: 0x32,
  ROLLBACK_STARTED: 0x33,
  ROLLBACK_COMPLETE: 0x34,
} as const;

export type SignalName = keyof typeof DEFAULT_SIGNALS;
export const SIGNAL_NAMES = Object.keys(DEFAULT_SIGNALS) as [SignalName, ...SignalName[]];

/** Names and codes both ways, after the config's overrides (which the config schema keeps distinct). */
export interface SignalTable {
  code(name: SignalName): number;
  /** undefined: a code no signal of this table has */
  name(code: number): SignalName | undefined;
}

/** @example const table = signalTable({ HEARTBEAT: 0x01, DISCOVERY: 0x08 }); table.code('HEARTBEAT') // 1 */
export function signalTable(overrides: Partial<Record<SignalName, number>> = {}): SignalTable {
  const codes = new Map<SignalName, number>();
  const names = new Map<number, SignalName>();
  for (const name of SIGNAL_NAMES) {
    const code = overrides[name] ?? DEFAULT_SIGNALS[name];
    codes.set(name, code);
    names.set(code, name);
  }
  return { code: (name) => codes.get(name) as number, name: (code) => names.get(code) };
}
