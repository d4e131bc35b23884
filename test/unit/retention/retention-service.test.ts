import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import {
  pruneCutoffs,
  RETENTION_FLOORS,
  type RetentionPolicy,
} from '../../../src/domain/retention/policy.js';
import type { RetentionStore } from '../../../src/ports/retention.js';
import { RetentionService } from '../../../src/services/retention/retention-service.js';
import { captureLogger } from '../../helpers/logger.js';

const DAY_MS = 86_400_000;
const policy: RetentionPolicy = {
  rawRetentionDays: 35,
  sensorSampleRetentionDays: 35,
  auditRetentionDays: 400,
  alertRetentionDays: 180,
  commandRetentionDays: 400,
  modelVersionsKept: 10,
};

/** A store with `backlog` readings to prune and nothing else; it records each call. */
function fakeStore(backlog: number): RetentionStore & { calls: string[] } {
  let left = backlog;
  const calls: string[] = [];
  const none = (name: string) => {
    calls.push(name);
    return 0;
  };
  return {
    calls,
    pruneReadings: (_before, max, after) => {
      calls.push(`readings@${after}`);
      const n = Math.min(left, max);
      left -= n;
      return n === max ? { removed: n, nextCursor: `m${backlog - left}` } : { removed: n };
    },
    pruneSensorSamples: () => none('samples'),
    pruneAudit: () => none('audit'),
    pruneClearedAlerts: () => none('alerts'),
    pruneCommands: () => none('commands'),
    pruneModelVersions: (_keep, _max, after) => {
      calls.push(`models@${after}`);
      return after === 0 ? { removed: 1, nextCursor: 7 } : { removed: 2 };
    },
  };
}

function service(store: RetentionStore, yieldToLoop: () => Promise<void> = async () => {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 10));
  return new RetentionService({
    store,
    clock,
    scheduler: new SimulatedScheduler(clock),
    log: captureLogger(),
    policy: () => policy,
    yieldToLoop,
    elapsedMs: () => 0,
    batchRows: 10,
  });
}

describe('retention policy', () => {
  it('turns days into cutoffs before now', () => {
    const now = Date.UTC(2026, 0, 10);
    expect(pruneCutoffs(policy, now)).toMatchObject({
      readingsBeforeMs: now - 35 * DAY_MS,
      auditBeforeMs: now - 400 * DAY_MS,
      alertsClearedBeforeMs: now - 180 * DAY_MS,
      modelVersionsKept: 10,
    });
  });

  it('raises every length to its floor', () => {
    const low = Object.fromEntries(Object.keys(policy).map((k) => [k, 0])) as unknown as RetentionPolicy;
    const c = pruneCutoffs(low, 0);
    expect(c.readingsBeforeMs).toBe(-RETENTION_FLOORS.rawRetentionDays.min * DAY_MS);
    expect(c.sensorSamplesBeforeMs).toBe(-14 * DAY_MS);
    expect(c.modelVersionsKept).toBe(RETENTION_FLOORS.modelVersionsKept.min);
  });
});

describe('RetentionService', () => {
  it('prunes batch by batch, yielding between batches, and pages by meter and by model version', async () => {
    const store = fakeStore(25);
    let yields = 0;
    const report = await service(store, async () => {
      yields++;
    }).pruneNow();
    expect(report.removed).toMatchObject({ readings: 25, models: 3 });
    expect(report.complete).toBe(true);
    expect(store.calls.filter((c) => c.startsWith('readings@'))).toEqual([
      'readings@',
      'readings@m10',
      'readings@m20',
    ]);
    expect(store.calls.filter((c) => c.startsWith('models@'))).toEqual(['models@0', 'models@7']);
    expect(yields).toBe(report.batches);
  });

  it('stops between batches when the service stops, leaving the rest for the next pass', async () => {
    const store = fakeStore(1_000_000);
    let svc: RetentionService | undefined;
    let turns = 0;
    svc = service(store, async () => {
      if (++turns === 5) void svc?.stop();
    });
    const report = await svc.pruneNow();
    expect(report.complete).toBe(false);
    expect(report.removed.readings).toBe(50);
  });

  it('joins a pass already running instead of starting a second', async () => {
    const svc = service(fakeStore(30));
    const [a, b] = [svc.pruneNow(), svc.pruneNow()];
    expect(a).toBe(b);
    expect((await a).removed.readings).toBe(30);
  });
});
