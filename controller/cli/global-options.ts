// Flags every command shares, parsed with zod like every other input.
import { z } from 'zod';

export const globalOptionsSchema = z.object({
  repo: z.string().min(1).optional(),
  db: z.string().min(1).optional(),
  json: z.boolean().default(false),
});
export type GlobalOptions = z.infer<typeof globalOptionsSchema>;
