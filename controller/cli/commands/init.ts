// batchctl init — write the default batch-control.json and its schema into a repository, and commit them.
import { relative } from 'node:path';

import { z } from 'zod';

import type { InitResult } from '../../engine/index.js';
import { EXIT } from '../../errors/index.js';
import { openCommandEngine } from '../open-command-engine.js';
import { globalOptionsSchema } from '../global-options.js';
import { printJsonLine } from '../output/ndjson.js';

const initOptionsSchema = globalOptionsSchema.extend({
  force: z.boolean().default(false),
  /** commander's --no-push sets push: false */
  push: z.boolean().default(true),
});

function render(result: InitResult, root: string): string {
  if (!result.created) return `${result.file} exists and is valid; left as it is (--force rewrites it)\n`;
  const files = [result.file, result.schema_file].map((f) => relative(root, f));
  const wrote = `wrote ${result.file} and ${result.schema_file}`;
  if (result.commit && result.pushed)
    return `${wrote}; committed them as ${result.commit.slice(0, 12)} (Control-Change: init) and pushed it\n`;
  if (result.commit)
    return `${wrote}; committed them as ${result.commit.slice(0, 12)} (Control-Change: init): push it to put batchctl under operator control\n`;
  if (!result.not_committed) return `${wrote}; HEAD already holds them\n`;
  return (
    `${wrote}, but did NOT commit them: ${result.not_committed}.\n` +
    `They must be committed before batchctl is under operator control: git add -- ${files.join(' ')} && git commit -m "batchctl init" -- ${files.join(' ')}\n`
  );
}

export async function initCommand(raw: unknown): Promise<number> {
  const options = initOptionsSchema.parse(raw);
  const engine = await openCommandEngine({ ...options });
  try {
    const result = await engine.init({ force: options.force, push: options.push });
    if (options.json) printJsonLine(result);
    else process.stdout.write(render(result, engine.root));
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
