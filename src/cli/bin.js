#!/usr/bin/env node
// The quietwatt command. Built (`npm run build`), this file sits in dist/src/cli/ beside the compiled
// main.js and loads it with plain Node. In a checkout, src/cli/ holds main.ts instead: tsx (a
// development dependency) compiles the sources on load, so `node src/cli/bin.js` needs no build.
import { existsSync } from 'node:fs';

// `quietwatt run`: a SIGINT or SIGTERM that comes while the code loads (tsx compiling the sources
// takes seconds) is kept for the command, which then stops cleanly, instead of Node's default exit.
// The command takes it over through this global (see src/cli/early-signal.ts).
if (process.argv[2] === 'run') {
  const held = { signal: undefined, release: () => undefined };
  const hold = (signal) => {
    held.signal ??= signal;
  };
  held.release = () => {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  };
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  globalThis[Symbol.for('quietwatt.earlySignal')] = held;
}

if (existsSync(new URL('./main.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
} else {
  await import('./main.js');
}
