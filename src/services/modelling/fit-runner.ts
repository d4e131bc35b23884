import { type FitRequest, type FitResult, runFit } from './fit-job.js';

/**
 * Where fits run. The service hands every fit to a runner; the production runner is a worker thread
 * (src/adapters/worker/), so a year-long fit never blocks the event loop that ingest runs on.
 */
export interface FitRunner {
  fit(request: FitRequest): Promise<FitResult>;
  close(): Promise<void>;
}

/** Runs fits on the calling thread (tests, and tools that have nothing else to do meanwhile). */
export class InlineFitRunner implements FitRunner {
  async fit(request: FitRequest): Promise<FitResult> {
    return runFit(request);
  }
  async close(): Promise<void> {}
}
