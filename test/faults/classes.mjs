// A violation's likely class among issue 11's thirteen, from what broke (docs/reliability.md#what-the-first-sweep-found-before-the-fixes).
// A guess from the symptoms, to route a finding to the right fix; the problems themselves are the facts.

export const CLASS_NAMES = {
  1: 'a commit names a missing object',
  2: 'a batch that landed is reported failed',
  3: "a live git process's index.lock is deleted",
  4: 'input cut short to a git child is trusted',
  5: "a partial ref transaction leaves the failed batch's refs",
  6: 'a git lock left by a killed git child',
  7: 'an atomic rollback leaves a torn file',
  8: 'a staged revert of batch-control.json after a crash before update-index',
  9: "the failed batch's control-state commit is not journaled",
  10: 'the repository lock is taken from a live owner',
  11: 'leftovers: temp files or directories',
  12: 'a row stuck non-final',
  13: 'messages: a failure that does not say what to do',
};

const has = (problems, check) => problems.find((p) => p.check === check);

/** The class number most likely behind `problems` (the checks that failed), or 0 when none fits. */
export function guessClass({ problems, state, run }) {
  const fsck = has(problems, 'fsck');
  if (fsck && /missing|broken|invalid/i.test(fsck.detail.join(' '))) return 1;
  const rowVsGit = has(problems, 'row-vs-git');
  const exitVsGit = has(problems, 'run-exit-vs-git');
  if (state === 'post' && (rowVsGit || (exitVsGit && run.code !== 0))) return 2;
  if (has(problems, 'head')) return 2; // a failure control commit stacked on a landed batch
  const locks = has(problems, 'lock-left');
  if (locks) return 6;
  const refs = has(problems, 'refs');
  if (refs && state === 'pre') return 5;
  const index = has(problems, 'index');
  if (index && index.paths.every((p) => p === 'batch-control.json')) return 8;
  if (index || (exitVsGit && run.code === 0)) return 4;
  const status = has(problems, 'status');
  if (status && status.detail.some((line) => line.endsWith(' batch-control.json'))) return state === 'post' ? 8 : 9;
  const files = has(problems, 'files');
  if (has(problems, 'status') && !files && !has(problems, 'dirs')) return 9;
  if (files && state === 'pre' && files.paths.some((p) => !/\.tmp|~|\.batchctl/.test(p))) return 7;
  if (files || has(problems, 'dirs') || has(problems, 'batchctl-leftover')) return 11;
  if (has(problems, 'row-not-final') || has(problems, 'row')) return 12;
  if (has(problems, 'recover-exit') || has(problems, 'db-integrity')) return 13;
  return 0;
}
