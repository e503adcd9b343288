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

/** `--auto-merge` and `--base` shape the pull request of `--pr`, which `--no-push` rules out (docs/github-api.md#pull-requests). */
export function prFlagsNeedPr(
  o: { pr: boolean; autoMerge: boolean; base?: string | undefined; push: boolean },
  ctx: z.RefinementCtx,
): void {
  if (o.autoMerge && !o.pr) ctx.addIssue({ code: 'custom', path: ['autoMerge'], message: 'goes with --pr' });
  if (o.base !== undefined && !o.pr) ctx.addIssue({ code: 'custom', path: ['base'], message: 'goes with --pr' });
  if (o.pr && !o.push) ctx.addIssue({ code: 'custom', path: ['push'], message: '--pr pushes batch/<id>: it cannot go with --no-push' });
}
