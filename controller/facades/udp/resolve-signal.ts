// A decoded frame's signal as a name this server knows and accepts (config accept_signals), or why not.
import type { Frame } from './decode-frame.js';
import { DROP, type DropReason } from './drop-reasons.js';
import { SIGNAL_NAMES, type SignalName, type SignalTable } from './signals.js';

const KNOWN: ReadonlySet<string> = new Set(SIGNAL_NAMES);

/** A text frame may name its signal ("HEARTBEAT", any case) or give its code, as a binary frame does. */
export function resolveSignal(
  frame: Frame,
  { table, accepted }: { table: SignalTable; accepted: ReadonlySet<SignalName> },
): { ok: true; name: SignalName } | { ok: false; reason: DropReason } {
  let name: SignalName | undefined;
  if (typeof frame.signal === 'number') name = table.name(frame.signal);
  else {
    const upper = frame.signal.toUpperCase();
    if (KNOWN.has(upper)) name = upper as SignalName;
  }
  if (name === undefined) return { ok: false, reason: DROP.unknown_signal };
  if (!accepted.has(name)) return { ok: false, reason: DROP.not_accepted };
  return { ok: true, name };
}
