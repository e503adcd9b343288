// What every TypeScript file under a folder imports and where it touches process.env, read from the
// compiler's own parse (TypeScript 7's API: the tsgo parser, one program per folder), never a regex.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import {
  isCallExpression,
  isElementAccessExpression,
  isExportDeclaration,
  isExternalModuleReference,
  isIdentifier,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isImportTypeNode,
  isLiteralTypeNode,
  isNoSubstitutionTemplateLiteral,
  isObjectBindingPattern,
  isPropertyAccessExpression,
  isStringLiteral,
  isVariableDeclaration,
  SyntaxKind,
  type Node,
  type SourceFile,
} from 'typescript/unstable/ast';
import { API } from 'typescript/unstable/sync';

/** How a module is reached: every form the language has for naming another module. */
export const IMPORT_FORMS = [
  'import', // import x from '…', import { x } from '…', import * as x from '…'
  'import type', // import type { X } from '…'
  'side-effect', // import '…'
  'dynamic', // import('…') and import(`…`)
  'export from', // export * from '…', export { x } from '…'
  'export type from', // export type { X } from '…'
  'import = require', // import x = require('…')
  'require', // require('…') (createRequire)
  'type import', // typeof import('…'), import('…').X in a type
  'unrecognised', // the compiler saw a module reference this walker has no form for
] as const;
export type ImportForm = (typeof IMPORT_FORMS)[number];

export interface ImportFact {
  /** null when the module is computed (import(name), import(`${x}`)) and so cannot be checked */
  specifier: string | null;
  form: ImportForm;
  line: number;
}

export interface FileFacts {
  /** path below the folder read, with forward slashes */
  file: string;
  imports: ImportFact[];
  /** lines that touch process.env (read, copy or destructure) */
  envReads: number[];
}

const SOURCE = /\.(c|m)?[jt]s$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : SOURCE.test(e.name) ? [path] : [];
  });
}

/** The module named by a string or a template literal without substitutions; null otherwise. */
function literalText(node: Node | undefined): string | null {
  return node !== undefined && (isStringLiteral(node) || isNoSubstitutionTemplateLiteral(node)) ? node.text : null;
}

function literalOrName(node: Node): string | null {
  return isIdentifier(node) ? node.text : literalText(node);
}

function isProcess(node: Node): boolean {
  if (isIdentifier(node)) return node.text === 'process';
  // globalThis.process.env
  return (
    isPropertyAccessExpression(node) &&
    isIdentifier(node.expression) &&
    node.expression.text === 'globalThis' &&
    isIdentifier(node.name) &&
    node.name.text === 'process'
  );
}

/** process.env, process['env'], const { env } = process, import { env } from 'node:process'. */
function touchesEnv(node: Node): boolean {
  if (isPropertyAccessExpression(node)) return isProcess(node.expression) && isIdentifier(node.name) && node.name.text === 'env';
  if (isElementAccessExpression(node)) return isProcess(node.expression) && literalText(node.argumentExpression) === 'env';
  if (isVariableDeclaration(node) && node.initializer !== undefined && isProcess(node.initializer) && isObjectBindingPattern(node.name)) {
    return node.name.elements.some((e) => [e.propertyName, e.name].some((n) => n !== undefined && isIdentifier(n) && n.text === 'env'));
  }
  if (isImportDeclaration(node) && ['node:process', 'process'].includes(literalText(node.moduleSpecifier) ?? '')) {
    const bindings = node.importClause?.namedBindings;
    return (
      bindings !== undefined &&
      'elements' in bindings &&
      bindings.elements.some((e) => [e.propertyName, e.name].some((n) => n !== undefined && literalOrName(n) === 'env'))
    );
  }
  return false;
}

/** The module reference a node makes, with its form and the node naming the module. */
function importOf(node: Node): { form: ImportForm; named: Node | undefined } | undefined {
  if (isImportDeclaration(node)) {
    const clause = node.importClause;
    const form = clause === undefined ? 'side-effect' : clause.phaseModifier === SyntaxKind.TypeKeyword ? 'import type' : 'import';
    return { form, named: node.moduleSpecifier };
  }
  if (isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
    return { form: node.isTypeOnly ? 'export type from' : 'export from', named: node.moduleSpecifier };
  }
  if (isImportEqualsDeclaration(node) && isExternalModuleReference(node.moduleReference)) {
    return { form: 'import = require', named: node.moduleReference.expression };
  }
  if (isCallExpression(node)) {
    if (node.expression.kind === SyntaxKind.ImportKeyword) return { form: 'dynamic', named: node.arguments[0] };
    if (isIdentifier(node.expression) && node.expression.text === 'require') return { form: 'require', named: node.arguments[0] };
  }
  if (isImportTypeNode(node)) {
    return { form: 'type import', named: isLiteralTypeNode(node.argument) ? node.argument.literal : node.argument };
  }
  return undefined;
}

function factsOf(sourceFile: SourceFile, file: string): FileFacts {
  const lineOf = (node: Node): number => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const imports: ImportFact[] = [];
  const envReads: number[] = [];
  const seen = new Set<number>();
  const visit = (node: Node): void => {
    const found = importOf(node);
    if (found !== undefined) {
      imports.push({ specifier: literalText(found.named), form: found.form, line: lineOf(node) });
      if (found.named !== undefined) seen.add(found.named.pos);
    }
    if (touchesEnv(node)) envReads.push(lineOf(node));
    node.forEachChild((child) => {
      visit(child);
    });
  };
  visit(sourceFile);
  // The compiler lists every module reference it resolves; one this walker did not classify is a
  // form it does not know yet, and it fails the check rather than slipping past it.
  for (const named of sourceFile.imports) {
    if (!seen.has(named.pos)) imports.push({ specifier: literalText(named), form: 'unrecognised', line: lineOf(named) });
  }
  return { file, imports, envReads };
}

const OPTIONS = { module: 'nodenext', moduleResolution: 'nodenext', allowJs: true, noResolve: true, noLib: true, types: [], noEmit: true };

/**
 * Parses every .ts/.mts/.cts (and .js/.mjs/.cjs) file under each root: one project of exactly those
 * files per root, nothing resolved, all in one compiler process.
 */
export function readImportGraphs(roots: readonly string[]): FileFacts[][] {
  const projects = roots.map((root) => ({ root, files: sourceFiles(root).sort(), config: join(root, '.architecture-tsconfig.json') }));
  const configs = new Map(projects.map(({ config, files }) => [config, JSON.stringify({ compilerOptions: OPTIONS, files })]));
  // The project files exist only in this process: the compiler asks for them through this callback.
  const api = new API({ cwd: process.cwd(), fs: { readFile: (name) => configs.get(name) } });
  try {
    const snapshot = api.updateSnapshot({ openProjects: [...configs.keys()] });
    return projects.map(({ root, files, config }) => {
      const program = snapshot.getProject(config)?.program;
      if (program === undefined) throw new Error(`the TypeScript API opened no project for ${root}`);
      return files.map((path) => {
        const sourceFile = program.getSourceFile(path);
        if (sourceFile === undefined) throw new Error(`the TypeScript API did not parse ${path}`);
        return factsOf(sourceFile, relative(root, path).split(sep).join('/'));
      });
    });
  } finally {
    api.close();
  }
}
