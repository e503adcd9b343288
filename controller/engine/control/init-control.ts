// batchctl init: write the default batch-control.json and the JSON Schema it names, then commit the
// two files alone (Control-Change: init) — or, when the repository is in a state where a commit
// would surprise (a merge or rebase under way, a detached HEAD), leave them written and say that
// they must be committed. The commit is built from HEAD's tree plus these two files, and the index
// is refreshed for them only, so whatever else the user has staged or changed stays exactly as it was.
import { access } from 'node:fs/promises';
import { join } from 'node:path';

import { controlFileJsonSchema, defaultControlFile, loadControlFile, renderControlFile } from '../../control/index.js';
import { CONTROL_FILE_NAME, CONTROL_SCHEMA_FILE_NAME, EVENT, TRAILER } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { formatTrailers, GitError, type TreeChange } from '../../git/index.js';
import { acquireRepoLock, clearJournal, writeFileDurably } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { recoverPending } from '../recover.js';
import { finishControlJournal, journalControlCommit } from './control-journal.js';
import { publishControl, type ControlBuild } from './publish-control.js';

export interface InitResult {
  file: string;
  /** the JSON Schema beside it, which the file's `$schema` names */
  schema_file: string;
  /** false: a valid control file was there and was left alone (nothing written, nothing committed) */
  created: boolean;
  /** the init commit; null when none was made */
  commit: string | null;
  /** the init commit was published to the branch's upstream (docs/lifecycle.md#gitops-push) */
  pushed: boolean;
  /** the files were written but not committed, and why: the user must commit them */
  not_committed: string | null;
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Git operations under way whose state files a commit of ours would cut across. */
const IN_PROGRESS: ReadonlyArray<readonly [string, string]> = [
  ['MERGE_HEAD', 'a merge'],
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase or `git am`'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['REVERT_HEAD', 'a revert'],
  ['sequencer', 'a cherry-pick or revert sequence'],
];

/** Why batchctl should not commit here, or null. */
async function whyNotCommit(deps: EngineDeps): Promise<string | null> {
  for (const [name, what] of IN_PROGRESS) {
    if (await exists(join(deps.git.gitDir, name))) return `${what} is in progress`;
  }
  const { exitCode } = await deps.git.runner.exec(['symbolic-ref', '-q', 'HEAD'], { okExitCodes: [1] });
  if (exitCode !== 0) return 'HEAD is detached (commit them on the branch batchctl is to work on)';
  return null;
}

/**
 * HEAD's commit with `changes`, published first like every control commit (with an upstream, unless
 * `push: false`); null when HEAD moved meanwhile (the ref is compare-and-swapped).
 */
async function commitInit(
  deps: EngineDeps,
  { changes, force, push }: { changes: readonly TreeChange[]; force: boolean; push: boolean },
): Promise<{ commit: string; pushed: boolean } | null> {
  const { git } = deps;
  const head = await git.head();
  const message =
    `batchctl init: put the repository under operator control\n\n` +
    `${CONTROL_FILE_NAME} holds the default policy; ${CONTROL_SCHEMA_FILE_NAME} is the JSON Schema its $schema names.\n\n` +
    `${formatTrailers([[TRAILER.controlChange, 'init']])}\n`;
  const time = Math.floor(deps.now().getTime() / 1000);
  const build = async (base: string | null): Promise<ControlBuild> => {
    const tree = await git.writeTree({ parent: base, changes });
    return { commit: await git.commitTree({ tree, parent: base, message, author: git.identity, committer: git.identity, time }), text: '' };
  };
  const published = await publishControl(
    deps,
    head,
    await build(head),
    async (base, theirs) => {
      // Someone published a control file meanwhile: init would replace it with the defaults.
      if (theirs !== null && !force) {
        throw new BatchctlError({
          code: 'PUSH_CONFLICT',
          message: `the upstream's newer head ${base.slice(0, 12)} has a ${CONTROL_FILE_NAME} already; init committed and pushed nothing`,
          hint: 'pull it (`git pull`) instead of running init; `init --force` replaces it with the defaults',
          data: { head: base },
        });
      }
      return build(base);
    },
    { push, ours: [CONTROL_SCHEMA_FILE_NAME] },
  );
  // Journaled: a crash between the ref update and the index refresh is finished by recovery (the
  // files and the index take the commit's), never left as a staged deletion of what init committed.
  const journal = await journalControlCommit(deps, {
    batchId: '',
    head,
    commit: published.commit,
    synced: [...new Set([...changes.map((c) => c.path), ...published.sync])],
  });
  try {
    await git.updateRefs([{ kind: 'update', ref: 'HEAD', newOid: published.commit, oldOid: head }], 'batchctl: init');
  } catch (error) {
    if ((await git.head()) !== published.commit) await clearJournal(deps.stateDir); // nothing moved: nothing to finish
    if (error instanceof GitError) return null;
    throw error;
  }
  await finishControlJournal(deps, journal);
  return { commit: published.commit, pushed: published.published };
}

/**
 * @example const { commit, not_committed } = await initControl(deps, { force: false });
 */
export async function initControl(deps: EngineDeps, { force, push = true }: { force: boolean; push?: boolean }): Promise<InitResult> {
  const { git } = deps;
  const file = join(git.root, CONTROL_FILE_NAME);
  const schemaFile = join(git.root, CONTROL_SCHEMA_FILE_NAME);
  if (!force && (await exists(file))) {
    await loadControlFile(git.root); // an existing but broken file is an error worth hearing about
    return { file, schema_file: schemaFile, created: false, commit: null, pushed: false, not_committed: null };
  }
  const release = await acquireRepoLock({ stateDir: deps.stateDir });
  try {
    await recoverPending(deps); // as every command: an interrupted batch is settled before HEAD moves
    // `$schema` is "./batch-control.schema.json", and that file is written (and committed) here beside
    // it: a path into the package (node_modules/batchctl/…) resolves only where batchctl is a
    // dependency of this repository, which a registry repository usually is not; a copy in the
    // repository resolves for every clone and editor. `init --force` refreshes it after an upgrade.
    const texts = [
      [CONTROL_FILE_NAME, renderControlFile(defaultControlFile())],
      [CONTROL_SCHEMA_FILE_NAME, controlFileJsonSchema()],
    ] as const;
    for (const [name, text] of texts) await writeFileDurably(join(git.root, name), text);
    deps.bus.emit(EVENT.controlChanged, null, { change: 'init', scope: 'all batches', force });
    const result = { file, schema_file: schemaFile, created: true, pushed: false };
    const why = await whyNotCommit(deps);
    if (why) return { ...result, commit: null, not_committed: why };
    const head = await git.head();
    const inHead = head
      ? await git.treeEntries(
          head,
          texts.map(([name]) => name),
        )
      : null;
    const entries: TreeChange[] = await Promise.all(
      texts.map(async ([name, text]) => ({ path: name, entry: { mode: '100644', oid: await git.hashBlob(text) } })),
    );
    const changes = entries.filter(({ path, entry }) => inHead?.get(path)?.oid !== entry?.oid || inHead?.get(path)?.mode !== entry?.mode);
    const made = changes.length === 0 ? null : await commitInit(deps, { changes, force, push }); // none: HEAD holds them already
    if (changes.length > 0 && !made) return { ...result, commit: null, not_committed: 'HEAD moved while the files were being committed' };
    await git.updateIndex(entries); // these two paths only: the user's other staged work stays staged
    return { ...result, commit: made?.commit ?? null, pushed: made?.pushed ?? false, not_committed: null };
  } finally {
    await release();
  }
}
