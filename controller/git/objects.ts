// Single-object reads in-process with isomorphic-git (SPEC §12: ~3× cheaper than spawning git once),
// or, for a one-shot CLI command, with git itself: loading the library costs 40–90 ms, ten spawns'
// worth or more, and a command makes two or three such reads.
import fs from 'node:fs';

import type { GitRunner } from './runner.js';

// Loaded on first use, so a process that never reads in-process never pays for it.
let loaded: Promise<typeof import('isomorphic-git')> | null = null;
async function isogitModule(): Promise<typeof import('isomorphic-git').default> {
  loaded ??= import('isomorphic-git');
  return (await loaded).default;
}

export interface CommitInfo {
  oid: string;
  tree: string;
  parents: string[];
  message: string;
}

/** The commit HEAD points at, or null on an unborn branch. */
export async function readHead({ dir, gitdir }: { dir: string; gitdir: string }): Promise<string | null> {
  const isogit = await isogitModule();
  try {
    return await isogit.resolveRef({ fs, dir, gitdir, ref: 'HEAD' });
  } catch (error) {
    if (error instanceof isogit.Errors.NotFoundError) return null;
    throw error;
  }
}

/** One commit's tree, parents and message. */
export async function readCommit({ dir, gitdir, oid }: { dir: string; gitdir: string; oid: string }): Promise<CommitInfo> {
  const { commit } = await (await isogitModule()).readCommit({ fs, dir, gitdir, oid });
  return { oid, tree: commit.tree, parents: commit.parent, message: commit.message };
}

/** The oid a ref points at (not peeled), or null when absent. */
export async function readRef({ dir, gitdir, ref }: { dir: string; gitdir: string; ref: string }): Promise<string | null> {
  const isogit = await isogitModule();
  try {
    return await isogit.resolveRef({ fs, dir, gitdir, ref, depth: 1 });
  } catch (error) {
    if (error instanceof isogit.Errors.NotFoundError) return null;
    throw error;
  }
}

/** A commit read through git, for processes that make too few reads to pay for loading the library. */
export async function spawnedCommit(git: GitRunner, oid: string): Promise<CommitInfo> {
  const text = (await git.exec(['cat-file', 'commit', oid])).stdout.toString('utf8');
  const split = text.indexOf('\n\n');
  const headers = (split === -1 ? text : text.slice(0, split)).split('\n');
  const tree = headers.find((line) => line.startsWith('tree '))?.slice(5);
  if (!tree) throw new Error(`commit ${oid} has no tree`);
  const parents = headers.filter((line) => line.startsWith('parent ')).map((line) => line.slice(7));
  return { oid, tree, parents, message: split === -1 ? '' : text.slice(split + 2) };
}
