// batchctl token add NAME --role R [--file F] — make a token for `batchctl serve`: printed once,
// only its SHA-256 is stored (docs/serve.md#tokens-and-roles).
import { z } from 'zod';

import { addToken, readEnvironment } from '../../app/index.js';
import { BatchctlError } from '../../errors/index.js';
import { globalOptionsSchema } from '../global-options.js';

const tokenOptionsSchema = globalOptionsSchema.extend({
  role: z.enum(['viewer', 'operator', 'admin']),
  file: z.string().min(1).optional(),
});

export function tokenAddCommand(name: string, raw: unknown): Promise<number> {
  const options = tokenOptionsSchema.parse(raw);
  const file = options.file ?? readEnvironment().BATCHCTL_TOKENS_FILE;
  if (!file) {
    throw new BatchctlError({ code: 'USAGE', message: 'no tokens file', hint: 'pass --file F or set BATCHCTL_TOKENS_FILE' });
  }
  const token = addToken({ file, name, role: options.role });
  process.stdout.write(options.json ? `${JSON.stringify({ name, role: options.role, file, token })}\n` : `${token}\n`);
  process.stderr.write(`token ${name} (${options.role}) added to ${file}; it is shown only now\n`);
  return Promise.resolve(0);
}
