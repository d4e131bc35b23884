#!/usr/bin/env node
// The quietwatt command. Built (`npm run build`), this file sits in dist/src/cli/ beside the compiled
// main.js and loads it with plain Node. In a checkout, src/cli/ holds main.ts instead: tsx (a
// development dependency) compiles the sources on load, so `node src/cli/bin.js` needs no build.
import { existsSync } from 'node:fs';

if (existsSync(new URL('./main.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
} else {
  await import('./main.js');
}
