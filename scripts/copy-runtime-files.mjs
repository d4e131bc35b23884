// Second half of `npm run build`: tsc emits the JavaScript (and the models/priors JSON it imports)
// into dist/; this copies every other file under src/ (the dashboard's static files, the command's
// entry bin.js, anything read from disk at run time) to the same place under dist/src/, so the
// compiled code finds them through the same relative paths as the sources.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const out = join(root, 'dist/src');

/** Not needed at run time: TypeScript (compiled), type declarations, and the worker's tsx boot file. */
const skip = (path) =>
  path.endsWith('.ts') || path.endsWith('.d.mts') || path.endsWith('adapters/worker/fit-worker-boot.mjs');

if (!existsSync(join(out, 'cli/main.js'))) {
  console.error('dist/src/cli/main.js is missing: run tsc -p tsconfig.build.json first');
  process.exit(1);
}
// Files removed from src/ must not linger in dist/: the dashboard's folder is copied afresh.
rmSync(join(out, 'adapters/http/web/assets'), { recursive: true, force: true });
let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  // parentPath from Node 20.12; `path` before it.
  const from = join(entry.parentPath ?? entry.path, entry.name);
  if (!entry.isFile() || skip(from)) continue;
  const to = join(out, relative(src, from));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  copied++;
}
chmodSync(join(out, 'cli/bin.js'), 0o755);
process.stdout.write(`copied ${copied} files from src/ to dist/src/\n`);
