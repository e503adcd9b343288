// Shared by the validation suites: a repository plus engine per test, and the one assertion every
// refused batch must pass (the right issue, through validate and run, and not a byte changed).
import { afterEach, expect } from 'vitest';

import type { Batch, ValidationResult } from '../../../controller/domain/index.js';
import type { Engine } from '../../../controller/engine/index.js';
import { engineFor } from '../../helpers/engine.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

export interface ExpectedIssue {
  code: string;
  index: number;
  /** absent for batch-wide issues (index -1) */
  path?: string;
}

const repos: TestRepo[] = [];
const engines: Engine[] = [];

/** Registers the afterEach that closes every engine and removes every repository of the file. */
export function useRepos(): void {
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
    for (const repo of repos.splice(0)) removeRepo(repo);
  });
}

/** A committed repository (plus `prepare`, e.g. symlinks, committed too) and an engine on it. */
export async function setup(
  files: Record<string, string> = {},
  prepare?: (repo: TestRepo) => void,
): Promise<{ repo: TestRepo; engine: Engine }> {
  const repo = gitRepo(files);
  repos.push(repo);
  if (prepare) {
    prepare(repo);
    repo.commitAll('prepare');
  }
  const engine = await engineFor(repo);
  engines.push(engine);
  return { repo, engine };
}

const brief = ({ code, index, path }: ExpectedIssue): ExpectedIssue => ({ code, index, ...(path !== undefined ? { path } : {}) });

/**
 * The batch is refused with exactly `expected` (code, op index, path) by validate and by run, and the
 * repository (files, modes, symlinks, refs, index, status) is byte-for-byte what it was: no commit.
 */
export async function expectRefused(
  { repo, engine }: { repo: TestRepo; engine: Engine },
  refused: Batch,
  expected: ExpectedIssue | ExpectedIssue[],
): Promise<ValidationResult> {
  const issues = (Array.isArray(expected) ? expected : [expected]).map(brief);
  const before = repo.snapshot();
  const head = repo.head();

  const validation = await engine.validate(refused);
  expect(validation.valid).toBe(false);
  expect(validation.issues.map(brief)).toEqual(issues);

  const result = await engine.run(refused);
  expect(result.status).toBe('refused');
  expect(result.reason?.code).toBe('VALIDATION_FAILED');
  expect(result.commit).toBeNull();
  expect(result.errors.map(({ code, index, path }) => ({ code, index, path }))).toEqual(
    issues.map(({ code, index, path }) => ({ code, index, path: path ?? '' })),
  );
  // the snapshot covers refs (no commit, tag or backup ref), the index and status; HEAD itself too
  expect(repo.snapshot()).toBe(before);
  expect(repo.head()).toBe(head);
  return validation;
}

/** Valid, with exactly these warning codes (in order). */
export async function expectValid(engine: Engine, accepted: Batch, warnings: ExpectedIssue[] = []): Promise<ValidationResult> {
  const validation = await engine.validate(accepted);
  expect(validation.issues).toEqual([]);
  expect(validation.valid).toBe(true);
  expect(validation.warnings.map(brief)).toEqual(warnings.map(brief));
  return validation;
}
