// Worker thread of the LP solver: HiGHS (wasm) is synchronous, so it runs here, never on the
// thread that handles MQTT. Plain JavaScript: it needs no types and runs unchanged from src/ or dist/.
import { parentPort } from 'node:worker_threads';
import loadHighs from 'highs';
import { highsOptions } from './highs-options.mjs';

let highs = await loadHighs();

// Each answer goes back on its own, so the main thread reads them a program at a time.
parentPort.on('message', async ({ id, requests, deadlineMs }) => {
  for (const req of requests) {
    const left = (deadlineMs - Date.now()) / 1000;
    const started = performance.now();
    // The batch's deadline has passed: the programs left answer as HiGHS does at its own limit.
    if (left <= 0) {
      parentPort.postMessage({
        id,
        answer: { id: req.id, status: 'Time limit reached', columns: {}, solveMs: 0 },
      });
      continue;
    }
    try {
      const result = highs.solve(
        req.lpText,
        highsOptions({ presolve: req.presolve === true, timeLimitS: left }),
      );
      const columns = {};
      if (result.Status === 'Optimal')
        for (const [name, col] of Object.entries(result.Columns)) columns[name] = col.Primal;
      parentPort.postMessage({
        id,
        answer: { id: req.id, status: result.Status, columns, solveMs: performance.now() - started },
      });
    } catch (error) {
      // A wasm abort can leave the module unusable: load a fresh one for the next program.
      parentPort.postMessage({
        id,
        answer: {
          id: req.id,
          status: `solver error: ${String(error)}`,
          columns: {},
          solveMs: performance.now() - started,
        },
      });
      highs = await loadHighs();
    }
  }
  parentPort.postMessage({ id, done: true });
});
