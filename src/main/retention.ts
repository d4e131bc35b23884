import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { SqliteRetentionStore } from '../adapters/sqlite/retention-store.js';
import type { RetentionPolicy } from '../domain/retention/policy.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Scheduler } from '../ports/scheduler.js';
import { RetentionService } from '../services/retention/retention-service.js';

/** The hourly pruning of the SQLite store, one batch per turn of the event loop. */
export function wireRetention(w: {
  readonly db: Database.Database;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  readonly policy: () => RetentionPolicy;
}): RetentionService {
  return new RetentionService({
    store: new SqliteRetentionStore(w.db),
    clock: w.clock,
    scheduler: w.scheduler,
    log: w.log,
    policy: w.policy,
    yieldToLoop: () => nextTurn(),
    elapsedMs: () => performance.now(),
  });
}
