// Where `npm run build` put the dashboard's files: dist/dashboard of the package the running CLI belongs
// to (bin/batchctl.js → ../dist/dashboard). The CLI runs as one CommonJS bundle, where import.meta is
// not there, so the package is found from the script node was started with.
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function dashboardDir(script: string | undefined = process.argv[1]): string {
  if (script === undefined) return join(process.cwd(), 'dist', 'dashboard');
  let file = script;
  try {
    file = realpathSync(script); // an npm-linked bin is a symlink into the package
  } catch {
    // a script that is not a file (node -e): the path as given
  }
  return join(dirname(file), '..', 'dist', 'dashboard');
}
