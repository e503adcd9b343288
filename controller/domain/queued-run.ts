// The run options a queued batch keeps beside it in the store (batch_queue.run_json,
// docs/lifecycle.md#the-queue): read back with this schema, so a row written by another build or
// edited by hand is refused by name instead of trusted.
import { z } from 'zod';

export const queuedRunSchema = z.object({
  planHash: z.string().optional(),
  source: z.string().optional(),
  agent: z.string().optional(),
  identity: z.string().optional(),
  push: z.boolean().optional(),
  /** a run() batch kept in memory by this process (pid, host): its to run, nobody else's */
  held_by: z.object({ pid: z.number().int().positive(), hostname: z.string() }).optional(),
});
export type QueuedRun = z.infer<typeof queuedRunSchema>;

/** run_json as stored; null when it is not JSON of this shape. */
export function parseQueuedRun(text: string): QueuedRun | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = queuedRunSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
