// The house (layers, doors, packages) as one table, checked on every import under controller/ by a checker
// that parses with the TypeScript compiler and proves on fixtures that it catches every import form.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { checkArchitecture, contradictions, format, packageOf, unusedAllowances, type House } from '../helpers/architecture.js';
import { IMPORT_FORMS, readImportGraphs, type FileFacts } from '../helpers/import-graph.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const CONTROLLER = resolve(ROOT, 'controller');
const FIXTURES = resolve(HERE, 'architecture-fixtures');

/** A facade is handed the engine by app/ and speaks to nothing else of the house. */
const FACADE = { layer: 4, uses: [], reaches: ['engine', 'domain', 'errors', 'log'] } as const;

/**
 * The house. Imports point down the layers; `owns` are packages no other folder may import (only
 * git/ spawns git, only store/ opens SQLite, only log/ logs…); `uses` are shared ones; every other
 * folder is imported through its index.ts; folders of one layer never form a cycle.
 */
const HOUSE: House = {
  folders: [
    // L0: values and their rules, no I/O. batch-id.ts draws its random suffix from node:crypto.
    { folder: 'domain', layer: 0, owns: [], uses: ['zod', 'node:crypto'] },
    { folder: 'errors', layer: 0, owns: [], uses: [] },
    { folder: 'log', layer: 0, owns: ['pino'], uses: [] },
    // L1: infrastructure, each in one place. store and git never meet: rebuilding one from the other is the engine's job.
    { folder: 'paths', layer: 1, owns: ['picomatch'], uses: [] },
    { folder: 'git', layer: 1, owns: ['node:child_process'], uses: ['node:crypto', 'node:fs', 'node:path'], never: ['store'] },
    { folder: 'store', layer: 1, owns: ['better-sqlite3'], uses: ['node:fs', 'node:path'], never: ['git'] },
    { folder: 'journal', layer: 1, owns: ['proper-lockfile'], uses: ['node:crypto', 'node:fs', 'node:os', 'node:path'] },
    { folder: 'github', layer: 1, owns: ['octokit'], uses: [] },
    // L2: the rules of a batch and of the control file.
    { folder: 'control', layer: 2, owns: [], uses: ['zod', 'node:crypto', 'node:fs', 'node:path', 'node:util'] },
    { folder: 'ops', layer: 2, owns: [], uses: ['node:crypto', 'node:fs', 'node:path'] },
    { folder: 'validate', layer: 2, owns: ['re2js'], uses: ['node:crypto', 'node:fs', 'node:path'] },
    // L3: the one API every facade uses.
    { folder: 'engine', layer: 3, owns: [], uses: ['node:crypto', 'node:fs', 'node:os', 'node:path'] },
    // L4: the facades to come (docs of the HTTP, WebSocket, MCP, UDP and dashboard issues).
    // facades/http parses its HTTP-only shapes with zod (schemas.ts) and hands node's server to app/.
    {
      folder: 'facades/http',
      ...FACADE,
      owns: ['hono', '@hono/node-server', 'hono-rate-limiter', 'prom-client'],
      uses: ['zod', 'node:http', 'node:net'],
    },
    // ws-server.ts serves its own port with node:http and takes upgrades on the HTTP facade's server.
    { folder: 'facades/ws', ...FACADE, owns: ['ws'], uses: ['zod', 'node:http', 'node:stream'] },
    // facades/mcp builds its tools' input and output schemas with zod (schemas.ts), from the domain's.
    { folder: 'facades/mcp', ...FACADE, owns: ['@modelcontextprotocol/sdk'], uses: ['zod'] },
    // facades/udp parses frames and config/interlock.json with zod (schemas.ts) and signs them with node:crypto's HMAC.
    { folder: 'facades/udp', ...FACADE, owns: ['node:dgram'], uses: ['zod', 'node:crypto'] },
    // dashboard-pages.ts reads the built page (dist/dashboard) once at start.
    { folder: 'facades/dashboard', ...FACADE, owns: [], uses: ['node:fs', 'node:path'] },
    // L5: on top. cli renders what the engine returns; app is the composition root that builds everything.
    {
      folder: 'cli',
      layer: 5,
      owns: ['commander', 'cli-progress'],
      uses: ['zod', 'node:fs', 'node:path'],
      never: ['git', 'store', 'control'],
    },
    // app/collect-garbage.ts reaches V8's gc through node:v8 + node:vm (the one-shot CLI's hook only).
    { folder: 'app', layer: 5, owns: ['node:v8', 'node:vm'], uses: ['zod', 'node:crypto', 'node:fs', 'node:net', 'node:os', 'node:path'] },
  ],
  envReader: 'app',
  envExceptions: {
    // Copies the environment for the git processes it spawns, minus GIT_* (which would redirect
    // their writes); it reads no setting of batchctl's from it.
    'git/runner.ts': 'copies the environment for its git children',
  },
};

/** What the fixtures break: one line per violation (the first comment of each fixture says which). */
const FIXTURE_VIOLATIONS = [
  // a computed module name is refused: it could name anything
  'domain/computed-import.ts:3 computed a module named at run time cannot be checked (dynamic)',
  // every import form pointing up a layer
  'domain/double-quotes.ts:3 layer engine/index.js (import): L0 domain → L3 engine',
  'domain/dynamic-import.ts:3 layer engine/index.js (dynamic): L0 domain → L3 engine',
  'domain/export-named.ts:3 layer engine/index.js (export from): L0 domain → L3 engine',
  'domain/export-star.ts:3 layer engine/index.js (export from): L0 domain → L3 engine',
  'domain/export-type.ts:3 layer engine/index.js (export type from): L0 domain → L3 engine',
  'domain/import-type.ts:3 layer engine/index.js (import type): L0 domain → L3 engine',
  'domain/legacy.cts:3 layer engine/index.js (import = require): L0 domain → L3 engine',
  'domain/side-effect.ts:3 layer engine/index.js (side-effect): L0 domain → L3 engine',
  'domain/template-import.ts:3 layer engine/index.js (dynamic): L0 domain → L3 engine',
  'domain/type-import.ts:3 layer engine/index.js (type import): L0 domain → L3 engine',
  // packages owned by another folder
  'engine/sqlite.ts:3 package better-sqlite3 (import)',
  // folders the house has no row for
  'facades/grpc/index.ts folder facades/grpc has no row in the house',
  // a facade reaches the engine API, domain, errors and log only
  'facades/http/index.ts:3 reach facades/ws/index.js (import): facades/http reaches engine, domain, errors, log only',
  'facades/http/index.ts:4 reach store/index.js (import): facades/http reaches engine, domain, errors, log only',
  // process.env outside app/ (git/runner.ts, the commented exception, is not reported)
  'git/env-forms.ts:2 env process.env',
  'git/env-forms.ts:2 package node:process (import)',
  'git/env-forms.ts:4 env process.env',
  'git/env-forms.ts:5 env process.env',
  'git/env-forms.ts:6 env process.env',
  // doors: another folder is entered through its index.ts only
  'git/index.ts:3 side-door journal/sub/index.js (import): the door is journal/index.js',
  'git/index.ts:4 side-door journal/lock-file.js (import): the door is journal/index.js',
  'git/index.ts:6 env process.env',
  'helpers/index.ts folder helpers has no row in the house',
  // two L1 folders importing each other
  'journal ⇄ paths cycle journal/index.ts:3 → paths; paths/index.ts:3 → journal',
  'ops/create-require.ts:2 package node:module (import)',
  'ops/create-require.ts:5 package better-sqlite3 (require)',
  'ops/outside.ts:3 outside ../../../helpers/import-graph.js (import type)',
  // only git/ spawns processes, child_process named with or without node:
  'ops/spawn.ts:3 package node:child_process (import)',
  // store and git never meet
  'store/history.ts:3 reach git/index.js (import type): store never imports git',
];

// One compiler process parses all five folders.
const [controller = [], fixtures = [], ...tooling] = readImportGraphs([
  CONTROLLER,
  FIXTURES,
  ...['test', 'bench', 'scripts'].map((dir) => resolve(ROOT, dir)),
]);

describe('architecture', () => {
  it('controller/ keeps every rule of the house', () => {
    expect(checkArchitecture(controller, HOUSE).map(format)).toEqual([]);
  });

  it('allows no package a folder does not import (the table is the current truth, not a wish)', () => {
    expect(unusedAllowances(controller, HOUSE)).toEqual([]);
  });

  it('gives each owned package to one folder only', () => {
    expect(contradictions(HOUSE)).toEqual([]);
  });

  it('catches every fixture violation, and only those', () => {
    expect(checkArchitecture(fixtures, HOUSE).map(format)).toEqual(FIXTURE_VIOLATIONS);
  });

  it('meets every import form it knows in the fixtures', () => {
    const met = new Set(fixtures.flatMap((f) => f.imports.map((i) => i.form)));
    // 'unrecognised' is the net under the walker: a module reference the compiler saw and it did not.
    expect(IMPORT_FORMS.filter((form) => !met.has(form))).toEqual(['unrecognised']);
  });
});

describe('dependencies', () => {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    scripts: Record<string, string>;
  };
  const packagesOf = (graph: readonly FileFacts[]): Set<string> =>
    new Set(
      graph.flatMap((f) => f.imports.flatMap((i) => (i.specifier === null || i.specifier.startsWith('.') ? [] : [packageOf(i.specifier)]))),
    );
  const runtime = packagesOf(controller);

  it('declares every package controller/ imports as a dependency', () => {
    expect([...runtime].filter((p) => !p.startsWith('node:') && pkg.dependencies[p] === undefined)).toEqual([]);
  });

  it('imports every dependency in controller/: nothing declared and unused', () => {
    expect(Object.keys(pkg.dependencies).filter((p) => !runtime.has(p))).toEqual([]);
  });

  it('uses every devDependency: a test, bench or build script imports it, an npm script runs it, or it types a dependency', () => {
    const used = packagesOf(tooling.flat());
    // The types of a dependency, or of a dev tool the tooling imports (@types/autocannon for bench/http.ts).
    const types = (p: string): boolean =>
      p.startsWith('@types/') &&
      (p === '@types/node' || pkg.dependencies[p.slice('@types/'.length)] !== undefined || used.has(p.slice('@types/'.length)));
    // A tool whose command an npm script runs by its package name (prettier in `npm run format`).
    const commands = new Set(Object.values(pkg.scripts).flatMap((script) => script.split(/[\s;&|]+/)));
    expect(Object.keys(pkg.devDependencies).filter((p) => !used.has(p) && !types(p) && !commands.has(p))).toEqual([]);
  });
});
