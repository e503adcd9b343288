// Single-object reads in-process with isomorphic-git (SPEC §12: ~3× cheaper than spawning git once).
import fs from 'node:fs';

// Loaded on first use: its import costs ~90 ms, more than the reads it saves in a one-shot CLI run.
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
