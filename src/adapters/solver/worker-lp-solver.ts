/**
 * LpSolver on one long-lived worker thread running HiGHS. The main thread posts the batch and waits
 * for its answers, or for the deadline plus a grace period: a worker that overruns it (HiGHS checks
 * its time limit only between iterations) is terminated, its batch answers with a time-limit
 * status, and a fresh worker starts with the next batch.
 */
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { Logger } from '../../ports/logger.js';
import type { LpRequest, LpSolution, LpSolver } from '../../ports/lp-solver.js';

const ENTRY = new URL('./lp-worker.mjs', import.meta.url);
/** Past the deadline, how long the worker may take to answer before it is stopped, ms. */
const GRACE_MS = 1_000;

const answerSchema = z.object({
  id: z.number(),
  answers: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      columns: z.record(z.string(), z.number()),
      solveMs: z.number(),
    }),
  ),
});

interface Pending {
  readonly requests: readonly LpRequest[];
  resolve(answers: LpSolution[]): void;
}

export class WorkerLpSolver implements LpSolver {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly log?: Logger) {}

  solve(requests: readonly LpRequest[], options: { readonly timeLimitMs: number }): Promise<LpSolution[]> {
    if (this.closed || requests.length === 0)
      return Promise.resolve(requests.map((r) => failed(r, 'solver closed')));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<LpSolution[]>((resolve) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        this.log?.warn(
          { programs: requests.length, timeLimitMs: options.timeLimitMs },
          'LP solver overran its deadline; restarting it',
        );
        resolve(requests.map((r) => failed(r, 'Time limit reached')));
        void this.restart(worker);
      }, options.timeLimitMs + GRACE_MS);
      timer.unref();
      this.pending.set(id, {
        requests,
        resolve: (answers) => {
          clearTimeout(timer);
          resolve(answers);
        },
      });
      // Wall clock on purpose: the time limit is real compute time, whatever the service's clock says.
      worker.postMessage({ id, requests, deadlineMs: Date.now() + options.timeLimitMs });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll('solver closed');
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ENTRY);
    worker.unref();
    worker.on('message', (raw: unknown) => {
      const parsed = answerSchema.safeParse(raw);
      if (!parsed.success) {
        this.log?.error({ err: parsed.error.message }, 'LP worker sent a malformed answer');
        return;
      }
      const p = this.pending.get(parsed.data.id);
      if (!p) return;
      this.pending.delete(parsed.data.id);
      p.resolve(parsed.data.answers);
    });
    worker.on('error', (error) => {
      this.log?.error({ err: error }, 'LP worker failed');
      this.failAll(`solver failed: ${error.message}`);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  private async restart(worker: Worker): Promise<void> {
    if (this.worker === worker) this.worker = undefined;
    await worker.terminate();
  }

  private failAll(status: string): void {
    for (const p of this.pending.values()) p.resolve(p.requests.map((r) => failed(r, status)));
    this.pending.clear();
  }
}

function failed(r: LpRequest, status: string): LpSolution {
  return { id: r.id, status, columns: {}, solveMs: 0 };
}
