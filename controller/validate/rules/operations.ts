// Per-operation rules against the virtual tree (docs/batch-format.md#what-validation-refuses: existence, overwrite, conflicts inside the
// batch), and the tree update each operation makes when it passes.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

import { ISSUE } from '../../domain/index.js';
import { compilePattern } from '../text-pattern.js';
import type { ConcreteOp } from '../concrete-op.js';
import type { Facts } from '../facts.js';
import type { IssueList } from '../issues.js';
import type { VirtualEntry, VirtualTree } from '../virtual-tree.js';
import { linkEscapes } from './path-context.js';

export interface RuleContext {
  tree: VirtualTree;
  facts: Facts;
  issues: IssueList;
  root: string;
  /** false: skip advisory checks (warnings), never safety */
  advisory: boolean;
}

function fresh(over: Partial<VirtualEntry>): VirtualEntry {
  return { exists: true, kind: 'file', tracked: false, oid: null, mode: null, createdBy: null, deletedBy: null, origin: null, ...over };
}

/** A path the op must find: exists, tracked (or made by the batch), not deleted earlier. */
function requireExisting(path: string, { index }: ConcreteOp, { tree, issues }: RuleContext, what: string): VirtualEntry | null {
  const entry = tree.get(path);
  if (entry.deletedBy !== null) {
    issues.error(ISSUE.deletedEarlier, index, path, `${path} was deleted or moved away by operation ${entry.deletedBy}`);
    return null;
  }
  if (!entry.exists || (!entry.tracked && entry.createdBy === null)) {
    issues.error(
      ISSUE.sourceMissing,
      index,
      path,
      entry.exists ? `${path} is not tracked by git; ${what} only tracked files` : `${path} does not exist (nothing to ${what})`,
    );
    return null;
  }
  return entry;
}

/** A path the op creates or replaces. */
function checkTarget(path: string, op: ConcreteOp, ctx: RuleContext, overwrite: boolean): VirtualEntry | null {
  const { tree, issues } = ctx;
  const entry = tree.get(path);
  if (entry.deletedBy !== null) {
    issues.error(ISSUE.deletedEarlier, op.index, path, `${path} was deleted or moved away by operation ${entry.deletedBy}`);
    return null;
  }
  if (entry.createdBy !== null) {
    issues.error(
      ISSUE.duplicateTarget,
      op.index,
      path,
      `${path} is already created by operation ${entry.createdBy}`,
      'one operation per created path; use replace to edit a file the batch wrote',
    );
    return null;
  }
  if (tree.isDirectory(path)) {
    issues.error(ISSUE.pathTypeConflict, op.index, path, `${path} is a directory`);
    return null;
  }
  if (entry.exists && entry.kind === 'symlink') {
    issues.error(ISSUE.writeToSymlink, op.index, path, `${path} is a symlink; batches do not write through symlinks`);
    return null;
  }
  if (entry.exists && !overwrite) {
    issues.error(ISSUE.targetExists, op.index, path, `${path} already exists`, 'set "overwrite": true to replace it');
    return null;
  }
  if (entry.exists && ctx.advisory) issues.warn(ISSUE.overwrite, op.index, path, `${path} exists and will be overwritten`);
  return entry;
}

function write(op: ConcreteOp, ctx: RuleContext): void {
  const w = op.op.type === 'write' ? op.op : null;
  const current = ctx.tree.get(op.target);
  if (w?.expected_blob !== undefined) {
    const actual = current.exists ? current.oid : null;
    if (actual !== w.expected_blob || (current.exists && current.oid === null)) {
      ctx.issues.error(
        ISSUE.expectedBlobMismatch,
        op.index,
        op.target,
        `expected ${w.expected_blob ?? 'no file'} at ${op.target}, found ${current.exists ? (current.oid ?? 'a file changed by this batch') : 'no file'}`,
        'someone changed the file since you read it: read it again and rebuild the batch',
      );
      return;
    }
  }
  const before = checkTarget(op.target, op, ctx, true);
  if (!before) return;
  ctx.tree.set(op.target, fresh({ tracked: before.tracked, mode: w?.mode ?? before.mode ?? '100644', createdBy: op.index }));
}

function copyOrMove(op: ConcreteOp, ctx: RuleContext): void {
  const source = op.source ?? '';
  const o = op.op;
  if (o.type === 'rename' && posix.dirname(source) !== posix.dirname(op.target)) {
    ctx.issues.error(
      ISSUE.renameChangesDirectory,
      op.index,
      op.target,
      `rename keeps a file in its directory (${posix.dirname(source)}); ${op.target} is elsewhere`,
      'use move to change directory',
    );
    return;
  }
  if (source === op.target) {
    ctx.issues.error(ISSUE.samePath, op.index, source, `source and target are the same path`);
    return;
  }
  const from = requireExisting(source, op, ctx, o.type);
  if (!from) return;
  if (from.kind === 'symlink') {
    const link = ctx.facts.linkTarget(from.origin ?? source);
    if (linkEscapes(source, link) || linkEscapes(op.target, link)) {
      ctx.issues.error(
        ISSUE.symlinkEscape,
        op.index,
        source,
        `${source} is a symlink to ${link}, which would point outside the repository`,
      );
      return;
    }
  }
  const overwrite = (o.type === 'copy' || o.type === 'move') && o.overwrite === true;
  const before = checkTarget(op.target, op, ctx, overwrite);
  if (!before) return;
  ctx.tree.set(op.target, { ...from, exists: true, tracked: before.tracked, createdBy: op.index, deletedBy: null });
  if (o.type !== 'copy') ctx.tree.set(source, { ...from, exists: false, deletedBy: op.index, createdBy: null });
}

function remove(op: ConcreteOp, ctx: RuleContext): void {
  const current = requireExisting(op.target, op, ctx, 'delete');
  if (!current) return;
  ctx.tree.set(op.target, { ...current, exists: false, deletedBy: op.index, createdBy: null });
}

function replace(op: ConcreteOp, ctx: RuleContext): void {
  const current = requireExisting(op.target, op, ctx, 'edit');
  if (!current) return;
  if (current.kind === 'symlink') {
    ctx.issues.error(ISSUE.writeToSymlink, op.index, op.target, `${op.target} is a symlink; batches do not write through symlinks`);
    return;
  }
  const r = op.op.type === 'replace' ? op.op : null;
  // Only a file with unchanged bytes is checked here. An explicit path without a match fails; a file a
  // glob matched without a match is left alone, and said so: it is no edit (docs/batch-format.md#what-validation-refuses).
  if (r && ctx.advisory && current.oid !== null && current.origin !== null) {
    const text = readFileSync(join(ctx.root, current.origin), 'utf8');
    const compiled = compilePattern(r.find, r.regex === true);
    const found = !compiled.ok || compiled.pattern.test(text);
    const outcome = op.fromGlob ? 'the glob matched it; it will be left unchanged' : 'the operation will fail';
    if (!found) ctx.issues.warn(ISSUE.replaceNoMatch, op.index, op.target, `"${r.find}" does not occur in ${op.target}; ${outcome}`);
  }
  ctx.tree.set(op.target, { ...current, oid: null });
}

export function applyRules(op: ConcreteOp, ctx: RuleContext): void {
  switch (op.op.type) {
    case 'write':
      return write(op, ctx);
    case 'copy':
    case 'move':
    case 'rename':
      return copyOrMove(op, ctx);
    case 'delete':
      return remove(op, ctx);
    case 'replace':
      return replace(op, ctx);
  }
}
