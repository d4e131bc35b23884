// Worker thread that checkpoints the service's WAL on a connection of its own, so that copying the
// WAL into the database file and its fsyncs never hold the thread that handles MQTT. Plain
// JavaScript: it needs no types and runs unchanged from src/ or dist/.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, everyMs, busyTimeoutMs } = workerData;
const db = new Database(path, { timeout: busyTimeoutMs });
db.pragma('synchronous = NORMAL');
let timer;
let stopped = false;

function checkpoint() {
  if (stopped) return;
  // PASSIVE: copies what no reader still needs, never waits for a writer and never blocks one.
  const [row] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ kind: 'checkpointed', walFrames: row.log, copiedFrames: row.checkpointed });
  timer = setTimeout(checkpoint, everyMs);
}

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});

parentPort.postMessage({ kind: 'ready' });
timer = setTimeout(checkpoint, everyMs);
