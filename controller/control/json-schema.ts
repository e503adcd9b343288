// The committed batch-control.schema.json is generated from the zod schema (one source of truth).
import { z } from 'zod';

import { controlFileSchema } from '../domain/index.js';

export function controlFileJsonSchema(): string {
  const schema = z.toJSONSchema(controlFileSchema, { io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'batch-control.json', description: 'batchctl control file: emergency stop, circuit breakers, budget and policy (docs/control-file.md). Other tools may add top-level keys (kept as they are); an unknown key under policy refuses every batch.' }, null, 2)}\n`;
}
