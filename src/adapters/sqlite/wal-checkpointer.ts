/**
 * Moves the WAL's checkpoints off the main thread. SQLite's automatic checkpoint runs inside the
 * commit that crosses 1,000 WAL pages, on the committing thread: under ingest load that is the main
 * thread, which then copies megabytes and waits for fsyncs between two MQTT bursts. Here a worker
 * thread checkpoints on its own connection every second instead, and the main connection's
 * automatic checkpoint is off only while that worker runs: if it fails or exits, the automatic
 * checkpoint is turned back on, so the WAL never grows without bound.
 */
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from '../../ports/logger.js';

const ENTRY = new URL('./checkpoint-worker.mjs', import.meta.url);
/** SQLite's default `wal_autocheckpoint`, in pages, restored when the worker stops. */
const AUTOCHECKPOINT_PAGES = 1000;

export interface WalCheckpointerOptions {
  /** The main connection, whose automatic checkpoint the worker replaces. */
  readonly db: Database.Database;
  readonly path: string;
  readonly log: Logger;
  /** How often the worker checkpoints. Default 1 s. */
  readonly everyMs?: number;
  readonly busyTimeoutMs?: number;
}

type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'checkpointed'; readonly walFrames: number; readonly copiedFrames: number };

export interface CheckpointStats {
  /** Whether the worker is checkpointing (else the main connection checkpoints itself). */
  readonly inWorker: boolean;
  readonly checkpoints: number;
  /** Frames in the WAL at the last checkpoint, and how many of them it had copied. */
  readonly walFrames: number;
  readonly copiedFrames: number;
}

export class WalCheckpointer {
  private worker: Worker | undefined;
  private inWorker = false;
  private stopping = false;
  private checkpoints = 0;
  private walFrames = 0;
  private copiedFrames = 0;

  constructor(private readonly options: WalCheckpointerOptions) {}

  /** Resolves once the worker runs and the main connection's automatic checkpoint is off. */
  start(): Promise<void> {
    const { path, everyMs = 1000, busyTimeoutMs = 5000 } = this.options;
    const worker = new Worker(ENTRY, { workerData: { path, everyMs, busyTimeoutMs } });
    this.worker = worker;
    // Never the reason the process stays up.
    worker.unref();
    return new Promise<void>((resolve) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'ready') {
          if (this.worker !== worker || this.stopping) return resolve();
          this.options.db.pragma('wal_autocheckpoint = 0');
          this.inWorker = true;
          resolve();
          return;
        }
        this.checkpoints += 1;
        this.walFrames = m.walFrames;
        this.copiedFrames = m.copiedFrames;
      });
      worker.on('error', (error) => {
        this.options.log.warn(
          { err: error.message },
          'checkpoint worker failed; checkpointing on the main thread',
        );
        this.fallBack(worker);
        resolve();
      });
      worker.on('exit', (code) => {
        if (!this.stopping && code !== 0)
          this.options.log.warn({ code }, 'checkpoint worker exited; checkpointing on the main thread');
        this.fallBack(worker);
        resolve();
      });
    });
  }

  stats(): CheckpointStats {
    return {
      inWorker: this.inWorker,
      checkpoints: this.checkpoints,
      walFrames: this.walFrames,
      copiedFrames: this.copiedFrames,
    };
  }

  /** Ends the worker and gives the main connection its automatic checkpoint back. */
  async stop(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.postMessage('stop');
    // A checkpoint in progress finishes first; one that hangs on the disk does not hold the stop.
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
    this.fallBack(worker);
  }

  private fallBack(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.inWorker = false;
    if (this.options.db.open) this.options.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}
