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
  id: z.string(),
  status: z.string(),
  columns: z.record(z.string(), z.number()),
  solveMs: z.number(),
});
const messageSchema = z.union([
  z.object({ id: z.number(), answer: answerSchema }),
  z.object({ id: z.number(), done: z.literal(true) }),
]);

interface Pending {
  readonly requests: readonly LpRequest[];
  readonly answers: LpSolution[];
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
        const p = this.pending.get(id);
        if (!p || !this.pending.delete(id)) return;
        this.log?.warn(
          { programs: requests.length, timeLimitMs: options.timeLimitMs },
          'LP solver overran its deadline; restarting it',
        );
        // Programs answered before the deadline keep their answers.
        const done = new Set(p.answers.map((a) => a.id));
        resolve([
          ...p.answers,
          ...requests.filter((r) => !done.has(r.id)).map((r) => failed(r, 'Time limit reached')),
        ]);
        void this.restart(worker);
      }, options.timeLimitMs + GRACE_MS);
      timer.unref();
      this.pending.set(id, {
        requests,
        answers: [],
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
      const parsed = messageSchema.safeParse(raw);
      if (!parsed.success) {
        this.log?.error({ err: parsed.error.message }, 'LP worker sent a malformed answer');
        return;
      }
      const p = this.pending.get(parsed.data.id);
      if (!p) return;
      if ('answer' in parsed.data) {
        p.answers.push(parsed.data.answer);
        return;
      }
      this.pending.delete(parsed.data.id);
      p.resolve(p.answers);
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
    for (const p of this.pending.values()) {
      const done = new Set(p.answers.map((a) => a.id));
      p.resolve([...p.answers, ...p.requests.filter((r) => !done.has(r.id)).map((r) => failed(r, status))]);
    }
    this.pending.clear();
  }
}

function failed(r: LpRequest, status: string): LpSolution {
  return { id: r.id, status, columns: {}, solveMs: 0 };
}
