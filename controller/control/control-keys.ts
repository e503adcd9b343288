// Which keys of a control file batchctl knows, read off the zod schema (the one source of truth):
// under `policy`, batchctl's own namespace, an unknown key at any depth is refused; at the top level,
// where registry bots, typed rewriters and jq scripts add their own fields, only a key within
// TYPO_DISTANCE edits of a known one is refused (it is almost surely that key, misspelt) and any
// other is kept and reported. The state objects batchctl writes (breakers, budget counters) are not
// checked: they carry `<unit>_used` counters by design. A deprecated key is accepted and reported.
import type { z } from 'zod';

import { CONTROL_FILE_NAME, controlFileSchema } from '../domain/index.js';
import { nearestKey } from './nearest-key.js';

/** At most this many edits from a known top-level key, an unknown one is taken for a typo. */
export const TYPO_DISTANCE = 2;

export interface KeyRefusal {
  /** dotted path of the unknown key: policy.limits.max_operatons_per_batch */
  field: string;
  /** the known key nearest to it, in the same object */
  nearest: string | null;
  message: string;
}

export interface ControlKeyReport {
  refusals: KeyRefusal[];
  /** one line each, naming the file: `batch-control.json: unknown key "x_note" kept as is` */
  warnings: string[];
}

type Schema = z.ZodType;
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The schema under defaults and optionality: the object, record or value it describes. */
function unwrap(schema: Schema): Schema {
  let node = schema;
  for (;;) {
    const def = node.def as { type: string; innerType?: Schema };
    if (!def.innerType || !['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type)) return node;
    node = def.innerType;
  }
}

const isDeprecated = (schema: Schema): boolean => schema.meta()?.deprecated === true;

function objectShape(schema: Schema): { shape: Record<string, Schema>; strict: boolean } | null {
  const def = schema.def as { type: string; shape?: Record<string, Schema>; catchall?: Schema };
  if (def.type !== 'object' || !def.shape) return null;
  return { shape: def.shape, strict: (def.catchall?.def as { type?: string } | undefined)?.type === 'never' };
}

function walk(schema: Schema, value: unknown, path: readonly string[], report: ControlKeyReport): void {
  const node = unwrap(schema);
  const def = node.def as { type: string; valueType?: Schema };
  if (def.type === 'record' && def.valueType && isObject(value)) {
    for (const [key, item] of Object.entries(value)) walk(def.valueType, item, [...path, key], report);
    return;
  }
  const object = objectShape(node);
  if (!object || !isObject(value)) return;
  const known = Object.keys(object.shape).filter((key) => !isDeprecated(object.shape[key] as Schema));
  for (const key of Object.keys(value)) {
    const field = [...path, key].join('.');
    const child = Object.hasOwn(object.shape, key) ? object.shape[key] : undefined;
    if (child && isDeprecated(child)) {
      report.warnings.push(`${CONTROL_FILE_NAME}: ${field}: ${child.meta()?.description ?? 'deprecated, ignored'}`);
    } else if (child) {
      walk(child, value[key], [...path, key], report);
    } else if (object.strict || path.length === 0) {
      const nearest = nearestKey(key, known);
      if (object.strict || (nearest && nearest.distance <= TYPO_DISTANCE)) {
        const close = nearest !== null && nearest.distance <= Math.max(TYPO_DISTANCE, Math.floor(key.length / 3));
        const guess = close ? ` (did you mean ${nearest.key}?)` : ` (known keys here: ${known.join(', ')})`;
        report.refusals.push({ field, nearest: nearest?.key ?? null, message: `${field}: unknown key${guess}` });
      } else {
        report.warnings.push(`${CONTROL_FILE_NAME}: unknown key ${JSON.stringify(key)} kept as is`);
      }
    }
    // Anything else is an unknown key inside a state object batchctl writes: kept, not reported.
  }
}

/** The unknown and deprecated keys of a control file's parsed JSON. Pure. */
export function checkControlKeys(json: unknown): ControlKeyReport {
  const report: ControlKeyReport = { refusals: [], warnings: [] };
  walk(controlFileSchema, json, [], report);
  return report;
}

/** A top-level key batchctl itself defines (the others belong to other tools and are kept byte for byte). */
export const isOwnTopLevelKey = (key: string): boolean => Object.hasOwn(controlFileSchema.shape, key);
