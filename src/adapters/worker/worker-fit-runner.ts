/**
 * FitRunner on one long-lived worker thread. Requests are queued in the worker (one at a time,
 * in order); the main thread only posts data and awaits answers, so ingest keeps running during a
 * fit. A crashed worker fails the fits in flight and is restarted on the next request.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../ports/logger.js';
import type { FitRequest, FitResult } from '../../services/modelling/fit-job.js';
import type { FitRunner } from '../../services/modelling/fit-runner.js';

interface Pending {
  resolve(result: FitResult): void;
  reject(error: Error): void;
}

type Answer = { id: number; result: FitResult } | { id: number; error: string };

// Built (dist/), this module is JavaScript and the worker runs the compiled fit-worker.js with plain
// Node; run from the TypeScript sources, the boot file registers tsx in the worker thread first.
const ENTRY = new URL(import.meta.url).pathname.endsWith('.ts')
  ? new URL('./fit-worker-boot.mjs', import.meta.url)
  : new URL('./fit-worker.js', import.meta.url);

export class WorkerFitRunner implements FitRunner {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly log?: Logger) {}

  fit(request: FitRequest): Promise<FitResult> {
    if (this.closed) return Promise.reject(new Error('fit runner is closed'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<FitResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  /** Fits waiting or running when this is called fail; the thread ends. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('fit runner closed'));
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ENTRY);
    // An idle worker must not keep the process alive after the service stops.
    worker.unref();
    worker.on('message', (answer: Answer) => {
      const p = this.pending.get(answer.id);
      if (!p) return;
      this.pending.delete(answer.id);
      if ('error' in answer) p.reject(new Error(answer.error));
      else p.resolve(answer.result);
    });
    worker.on('error', (error) => {
      this.log?.error({ err: error }, 'fit worker failed');
      this.failAll(error);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (!this.closed && code !== 0) this.failAll(new Error(`fit worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
