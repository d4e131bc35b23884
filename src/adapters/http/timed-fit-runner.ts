import type { FitRequest, FitResult } from '../../services/modelling/fit-job.js';
import type { FitRunner } from '../../services/modelling/fit-runner.js';

export type FitListener = (kind: string, seconds: number) => void;

/** Reports how long each fit took (for the metrics endpoint); otherwise passes calls through. */
export class TimedFitRunner implements FitRunner {
  private readonly listeners: FitListener[] = [];

  constructor(private readonly inner: FitRunner) {}

  onFit(listener: FitListener): void {
    this.listeners.push(listener);
  }

  async fit(request: FitRequest): Promise<FitResult> {
    const started = performance.now();
    try {
      return await this.inner.fit(request);
    } finally {
      const seconds = (performance.now() - started) / 1000;
      for (const l of this.listeners) l(request.kind, seconds);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
