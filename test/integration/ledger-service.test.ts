import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import { openSqliteStorage } from '../../src/adapters/sqlite/storage.js';
import { WorkerFitRunner } from '../../src/adapters/worker/worker-fit-runner.js';
import { QuietWattConfig } from '../../src/config/schema/index.js';
import { SavingsLedgerService } from '../../src/services/savings/savings-ledger-service.js';
import { captureLogger } from '../helpers/logger.js';
import { HOUR, load, testConfig, writeHours } from '../unit/forecast-service/fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const midnight = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) - 8 * HOUR;

describe('savings ledger over SQLite with the worker runner', () => {
  it('fits the baseline in the worker, writes rows once per hour however often it runs, and survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qw-ledger-'));
    dirs.push(dir);
    const base = testConfig({
      forecast: { holidays: 'none' },
      control: { defaultMode: 'off', spaces: [{ space: 'gym', mode: 'active' }] },
      savings: {
        baselines: [{ space: 'gym', from: '2025-06-02', to: '2026-01-31' }],
        randomized: [{ site: 'site-a', startDate: '2026-02-02', weeks: 4 }],
      },
    });
    const config = QuietWattConfig.parse(base);
    const reportFrom = midnight(2026, 2, 1);
    const now = midnight(2026, 2, 2) + 5 * HOUR;

    const run = async (nowMs: number, writeData: boolean) => {
      const storage = openSqliteStorage(dir, captureLogger());
      if (writeData) {
        const gym = { meterId: 'gym-light', spaceId: 'gym', endUse: 'lighting' as const };
        writeHours(storage.stores.intervals, gym, midnight(2025, 6, 2), reportFrom);
        writeHours(storage.stores.intervals, gym, reportFrom, now + 6 * HOUR, (t) => 0.75 * load(t));
      }
      const clock = new ManualClock(nowMs);
      const scheduler = new SimulatedScheduler(clock);
      const runner = new WorkerFitRunner();
      const log = captureLogger();
      const service = new SavingsLedgerService({
        clock,
        scheduler,
        log,
        intervals: storage.stores.intervals,
        models: storage.stores.models,
        ledger: storage.stores.ledger,
        settings: storage.stores.settings,
        runner,
        sites: config.sites,
        control: config.control,
        tariffs: config.tariffs,
        savings: config.savings,
        forecast: config.forecast,
      });
      await service.start();
      await service.whenIdle();
      await service.rollUp();
      const rows = storage.stores.ledger.ledgerRows({
        kind: 'measured',
        method: 'baseline',
        fromMs: 0,
        toMs: nowMs,
      });
      const arms = ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05'].map((d) =>
        service.armFor('site-a', d),
      );
      await service.stop();
      await runner.close();
      await scheduler.stop();
      await storage.component.stop();
      return { rows, arms, log };
    };

    const first = await run(now, true);
    expect(first.rows).toHaveLength((now - reportFrom) / HOUR);
    for (const r of first.rows) {
      expect(r.avoidedKWh).toBeCloseTo(0.25 * load(r.hourStartMs), 6);
      expect(r.cost).toBeCloseTo(0.25 * load(r.hourStartMs) * 0.641, 6);
    }
    expect(first.log.lines.some((l) => l.msg === 'baseline fitted')).toBe(true);

    // Restarted three hours later: the stored baseline is reused and only the new hours are added.
    const second = await run(now + 3 * HOUR, false);
    expect(second.log.lines.some((l) => l.msg === 'baseline fitted')).toBe(false);
    expect(second.rows).toHaveLength((now + 3 * HOUR - reportFrom) / HOUR);
    expect(second.rows.slice(0, first.rows.length)).toEqual(first.rows);
    expect(second.arms).toEqual(first.arms);
  });
});
