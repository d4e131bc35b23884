// Run from the sources, the service's TypeScript goes through tsx (the build runs fit-worker.js
// directly and leaves this file out); a worker thread starts without the main thread's
// loader hooks (and on Node 20 `execArgv: ['--import', 'tsx']` registers them too late for the entry
// module), so this plain-JS entry registers tsx in the worker and then loads the real entry.
import { register } from 'tsx/esm/api';

register();
await import('./fit-worker.ts');
