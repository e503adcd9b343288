// Flags every command shares, parsed with zod like every other input.
import { z } from 'zod';

export const globalOptionsSchema = z.object({
  repo: z.string().min(1).optional(),
  db: z.string().min(1).optional(),
  json: z.boolean().default(false),
});
export type GlobalOptions = z.infer<typeof globalOptionsSchema>;

/** `--commit` picks one of the commits a legacy id names: without `--legacy` it would be ignored. */
export function commitNeedsLegacy(o: { legacy: boolean; commit?: string | undefined }, ctx: z.RefinementCtx): void {
  if (o.commit !== undefined && !o.legacy) {
    ctx.addIssue({ code: 'custom', path: ['commit'], message: 'goes with --legacy (it picks one of the commits a legacy batch id names)' });
  }
}
