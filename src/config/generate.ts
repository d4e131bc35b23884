/**
 * Writes the files generated from the config schema: config/schema.json and docs/config-reference.md.
 * Run with `npm run gen:config`; a unit test fails when the checked-in files differ from this output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigReference, renderJsonSchema } from './reference.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Generated files, relative to the repository root, with their current content. */
export function generatedConfigFiles(): { path: string; content: string }[] {
  return [
    { path: 'config/schema.json', content: renderJsonSchema() },
    { path: 'docs/config-reference.md', content: renderConfigReference() },
  ];
}

export function writeGeneratedConfigFiles(root = ROOT): string[] {
  return generatedConfigFiles().map(({ path, content }) => {
    const full = resolve(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return path;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const path of writeGeneratedConfigFiles()) process.stdout.write(`wrote ${path}\n`);
}
