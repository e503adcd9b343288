// In-process turns on one repository's batch-control.json (docs/control-file.md#who-writes-it): a read,
// edit and write of the file (a stop, a resume, a breaker's state landing after a failure) runs alone
// among this process's, so two callers of one long-lived engine never lose each other's edit. Across
// processes the repository lock and the compare-before-write of control-state.ts keep the rules.
const tails = new Map<string, Promise<unknown>>();

/** Run `work` after every earlier turn on the file under `root` has settled. */
export function withControlFile<T>(root: string, work: () => Promise<T>): Promise<T> {
  const before = tails.get(root) ?? Promise.resolve();
  const result = before.then(work);
  const tail = result.catch(() => undefined);
  tails.set(root, tail);
  void tail.then(() => {
    if (tails.get(root) === tail) tails.delete(root);
  });
  return result;
}
