#!/usr/bin/env node
// The quietwatt command. The sources are TypeScript; tsx compiles them on load so that
// `npm start` and `quietwatt` need no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
