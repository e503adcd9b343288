// The house rules as a checker: given a folder's import graph (import-graph.ts) and a table of
// rules, every import that breaks one. A function, so the same checker runs on controller/ and on
// fixtures that prove it catches each form.
import { isBuiltin } from 'node:module';
import { posix } from 'node:path';

import type { FileFacts, ImportFact } from './import-graph.js';

export interface FolderRule {
  /** a folder directly under the root, or `facades/<name>` */
  folder: string;
  layer: number;
  /** packages (node: built-ins included) that only this folder may import */
  owns: readonly string[];
  /** packages it may import that other folders may import too */
  uses: readonly string[];
  /** when set, the only other folders it may import (a facade: the engine API, domain, errors, log) */
  reaches?: readonly string[];
  /** folders it may not import although the layers would allow it */
  never?: readonly string[];
}

export interface House {
  folders: readonly FolderRule[];
  /** the one folder whose files read process.env */
  envReader: string;
  /** files outside it that touch process.env, each with the reason it is allowed */
  envExceptions: Readonly<Record<string, string>>;
}

export type Rule = 'folder' | 'layer' | 'reach' | 'side-door' | 'outside' | 'package' | 'computed' | 'form' | 'cycle' | 'env';

export interface Violation {
  rule: Rule;
  /** file:line, or for a cycle the folders in it */
  where: string;
  /** the module imported and how, or what was found */
  what: string;
}

/** `engine/run/step.ts` → `engine`; `facades/http/app.ts` → `facades/http`; a root file → ''. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 1) return '';
  return parts[0] === 'facades' && parts.length > 2 ? `facades/${parts[1]}` : (parts[0] ?? '');
}

/** `node:fs/promises`, `fs` → `node:fs`; `@hono/node-server/x` → `@hono/node-server`; `zod/v4` → `zod`. */
export function packageOf(specifier: string): string {
  if (isBuiltin(specifier)) return `node:${specifier.replace(/^node:/, '').split('/')[0] ?? ''}`;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Each package owned by two folders, or owned by one and used by another: the table contradicts itself. */
export function contradictions(house: House): string[] {
  const owner = new Map<string, string>();
  const found: string[] = [];
  for (const rule of house.folders) {
    for (const pkg of rule.owns) {
      if (owner.has(pkg)) found.push(`${pkg} is owned by ${owner.get(pkg)} and ${rule.folder}`);
      owner.set(pkg, rule.folder);
    }
  }
  for (const rule of house.folders) {
    for (const pkg of rule.uses) if (owner.has(pkg)) found.push(`${pkg} is owned by ${owner.get(pkg)} but used by ${rule.folder}`);
  }
  return found;
}

interface Edge {
  from: string;
  to: string;
  where: string;
}

function checkImport(rules: Map<string, FolderRule>, file: string, fact: ImportFact, edges: Edge[]): Violation[] {
  const where = `${file}:${fact.line}`;
  const how = `(${fact.form})`;
  if (fact.form === 'unrecognised') return [{ rule: 'form', where, what: `${fact.specifier ?? '?'} ${how}` }];
  if (fact.specifier === null) return [{ rule: 'computed', where, what: `a module named at run time cannot be checked ${how}` }];
  const from = folderOf(file);
  const own = rules.get(from);
  if (own === undefined) return []; // reported once per file as 'folder'
  if (!fact.specifier.startsWith('.')) {
    const pkg = packageOf(fact.specifier);
    return own.owns.includes(pkg) || own.uses.includes(pkg) ? [] : [{ rule: 'package', where, what: `${pkg} ${how}` }];
  }
  const target = posix.join(posix.dirname(file), fact.specifier);
  if (target.startsWith('../')) return [{ rule: 'outside', where, what: `${fact.specifier} ${how}` }];
  const to = folderOf(target);
  if (to === from) return [];
  const what = `${target} ${how}`;
  const theirs = rules.get(to);
  if (theirs === undefined) return [{ rule: 'folder', where, what: `${what}: ${to || 'the root'} has no row in the house` }];
  const found: Violation[] = [];
  if (theirs.layer > own.layer) found.push({ rule: 'layer', where, what: `${what}: L${own.layer} ${from} → L${theirs.layer} ${to}` });
  if (own.reaches !== undefined && !own.reaches.includes(to))
    found.push({ rule: 'reach', where, what: `${what}: ${from} reaches ${own.reaches.join(', ')} only` });
  if (own.never?.includes(to)) found.push({ rule: 'reach', where, what: `${what}: ${from} never imports ${to}` });
  if (target !== `${to}/index.js`) found.push({ rule: 'side-door', where, what: `${what}: the door is ${to}/index.js` });
  if (theirs.layer === own.layer) edges.push({ from, to, where });
  return found;
}

/** Folders of one layer that import each other, directly or round a longer loop (Tarjan's SCC). */
function cycles(edges: readonly Edge[]): Violation[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: Violation[] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (stack.includes(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const members: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = top === node ? undefined : stack.pop()) members.push(top);
    if (members.length < 2) return;
    const inside = edges.filter((e) => members.includes(e.from) && members.includes(e.to));
    const by = [...new Set(inside.map((e) => `${e.where} → ${e.to}`))].sort();
    found.push({ rule: 'cycle', where: members.sort().join(' ⇄ '), what: by.join('; ') });
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** Every way the files of `graph` break the house, sorted; [] when they keep it. */
export function checkArchitecture(graph: readonly FileFacts[], house: House): Violation[] {
  const rules = new Map(house.folders.map((r) => [r.folder, r]));
  const edges: Edge[] = [];
  const found: Violation[] = [];
  for (const { file, imports, envReads } of graph) {
    const folder = folderOf(file);
    if (!rules.has(folder)) found.push({ rule: 'folder', where: file, what: `${folder || 'the root'} has no row in the house` });
    for (const fact of imports) found.push(...checkImport(rules, file, fact, edges));
    const allowed = folder === house.envReader || house.envExceptions[file] !== undefined;
    if (!allowed) for (const line of envReads) found.push({ rule: 'env', where: `${file}:${line}`, what: 'process.env' });
  }
  found.push(...cycles(edges));
  return found.sort((a, b) => format(a).localeCompare(format(b)));
}

/** Packages a folder that exists is allowed but never imports: slack that would let the next import in unseen. */
export function unusedAllowances(graph: readonly FileFacts[], house: House): string[] {
  const used = new Map<string, Set<string>>();
  for (const { file, imports } of graph) {
    for (const { specifier } of imports) {
      if (specifier === null || specifier.startsWith('.')) continue;
      used.set(folderOf(file), (used.get(folderOf(file)) ?? new Set()).add(packageOf(specifier)));
    }
  }
  const present = new Set(graph.map((f) => folderOf(f.file)));
  return house.folders
    .filter((r) => present.has(r.folder))
    .flatMap((r) => [...r.owns, ...r.uses].filter((pkg) => !used.get(r.folder)?.has(pkg)).map((pkg) => `${r.folder}: ${pkg}`));
}

/** One line a person reads in a failed expectation: `domain/a.ts:3 layer engine/index.js (dynamic): …`. */
export function format(v: Violation): string {
  return `${v.where} ${v.rule} ${v.what}`;
}
