// git said it wrote something it did not (docs/lifecycle.md#durability-and-concurrency): an object
// it printed the id of is missing or differs, or a ref or an index entry is not at the value it was
// given. Seen under fault injection (issue 11): `mktree --batch` exits 0 when the disk is full, and
// any `--stdin` command takes input cut short as the whole of it.
import { BatchctlError } from '../errors/index.js';

/** `what`: the command and what of its result is wrong; `data`: the ids, refs or paths concerned. */
export function writeUnverified({ what, data }: { what: string; data: Record<string, unknown> }): BatchctlError {
  return new BatchctlError({
    code: 'GIT_WRITE_UNVERIFIED',
    message: `${what}: git reported success, but what it wrote is not what it was asked to write`,
    hint: 'check the free space of the repository (and for a git wrapper or a failing disk), then run the batch again',
    data: { what, ...data },
  });
}
