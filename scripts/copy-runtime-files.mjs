// Second half of `npm run build`: tsc emits the JavaScript (and the models/priors JSON it imports)
// into dist/; this copies what the compiled code reads from disk at run time beside it, so dist/
// runs with the same relative paths as the sources.
import { chmodSync, cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** Files and folders read at run time through paths relative to the module that reads them. */
const RUNTIME_FILES = [
  // The dashboard's static files, served by src/adapters/http/web/register.ts.
  'src/adapters/http/web/assets',
  // The command's entry: in dist/ it finds main.js beside it and loads it without tsx.
  'src/cli/bin.js',
];

if (!existsSync(join(dist, 'src/cli/main.js'))) {
  console.error('dist/src/cli/main.js is missing: run tsc -p tsconfig.build.json first');
  process.exit(1);
}
for (const path of RUNTIME_FILES) {
  const target = join(dist, path);
  rmSync(target, { recursive: true, force: true });
  // Type declarations beside the browser modules serve the editor and the tests only.
  cpSync(join(root, path), target, { recursive: true, filter: (source) => !source.endsWith('.d.ts') });
}
chmodSync(join(dist, 'src/cli/bin.js'), 0o755);
