import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import type { QuietWattConfig } from '../../../src/config/schema/index.js';
import type { FitRequest, FitResult } from '../../../src/services/modelling/fit-job.js';
import { type FitRunner, InlineFitRunner } from '../../../src/services/modelling/fit-runner.js';
import { SavingsLedgerService } from '../../../src/services/savings/savings-ledger-service.js';
import { createMemoryStores, type MemoryStores } from '../../helpers/fakes/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { DAY, HOUR, load, shanghaiHour, testConfig, writeHours } from '../forecast-service/fixture.js';

/** Local (Shanghai) midnight of a date. */
const midnight = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) - 8 * HOUR;

const TARIFFS = {
  tariffs: [
    { kind: 'flat', id: 'flat-test', name: 'Flat', pricePerKWh: 0.6, year: 2025, source: 'test bill' },
    {
      kind: 'tou',
      id: 'tou-test',
      name: 'TOU',
      pricesPerKWh: { peak: 1.0, flat: 0.6, valley: 0.3 },
      seasons: [
        {
          name: 'all year',
          months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
          ranges: [{ period: 'peak', fromHour: 8, toHour: 20 }],
          otherHours: 'valley',
        },
      ],
      year: 2025,
      source: 'test notice',
    },
  ],
  defaultTariff: 'flat-test',
  meterTariffs: { 'cor-hvac': 'tou-test' },
  emissionFactors: [
    { id: 'grid-test', region: 'test', kgCo2PerKWh: 0.5, year: 2023, source: 'test publisher' },
  ],
  defaultEmissionFactor: 'grid-test',
};

function config(savings: Record<string, unknown>, control: Record<string, unknown> = {}): QuietWattConfig {
  return testConfig({
    forecast: { holidays: 'none' },
    control: { defaultMode: 'shadow', spaces: [{ space: 'gym', mode: 'active' }], ...control },
    tariffs: TARIFFS,
    savings,
  });
}

class CountingRunner implements FitRunner {
  readonly kinds: string[] = [];
  private readonly inner = new InlineFitRunner();
  fit(request: FitRequest): Promise<FitResult> {
    this.kinds.push(request.kind);
    return this.inner.fit(request);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const started: { service: SavingsLedgerService; scheduler: SimulatedScheduler }[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    await s.service.stop();
    await s.scheduler.stop();
  }
});

function harness(stores: MemoryStores, nowMs: number, cfg: QuietWattConfig) {
  const clock = new ManualClock(nowMs);
  const scheduler = new SimulatedScheduler(clock);
  const log = captureLogger();
  const runner = new CountingRunner();
  const service = new SavingsLedgerService({
    clock,
    scheduler,
    log,
    intervals: stores.intervals,
    models: stores.models,
    ledger: stores.ledger,
    settings: stores.settings,
    runner,
    sites: cfg.sites,
    control: cfg.control,
    tariffs: cfg.tariffs,
    savings: cfg.savings,
    forecast: cfg.forecast,
  });
  started.push({ service, scheduler });
  return { clock, scheduler, log, runner, service };
}

const GYM = { meterId: 'gym-light', spaceId: 'gym', endUse: 'lighting' as const };
const COR_LIGHT = { meterId: 'cor-light', spaceId: 'corridor', endUse: 'lighting' as const };
const COR_HVAC = { meterId: 'cor-hvac', spaceId: 'corridor', endUse: 'hvac' as const };
const corLight = (t: number) => load(t, 2, 0.5);
const corHvac = (t: number) => load(t, 6, 1);

describe('SavingsLedgerService, baseline method', () => {
  const baselineFrom = midnight(2025, 6, 2);
  const reportFrom = midnight(2026, 2, 1);
  const now = midnight(2026, 2, 3) + 10 * HOUR;
  const cfg = () => config({ baselines: [{ site: 'site-a', from: '2025-06-02', to: '2026-01-31' }] });

  function writeData(stores: MemoryStores, untilMs: number): void {
    writeHours(stores.intervals, GYM, baselineFrom, reportFrom);
    writeHours(stores.intervals, COR_LIGHT, baselineFrom, reportFrom, corLight);
    writeHours(stores.intervals, COR_HVAC, baselineFrom, reportFrom, corHvac);
    // Reporting period: the gym (active) uses 20 % less, the corridor (shadow) 10 % and 30 % less.
    writeHours(stores.intervals, GYM, reportFrom, untilMs, (t) => 0.8 * load(t));
    writeHours(stores.intervals, COR_LIGHT, reportFrom, untilMs, (t) => 0.9 * corLight(t));
    writeHours(stores.intervals, COR_HVAC, reportFrom, untilMs, (t) => 0.7 * corHvac(t));
  }

  it('writes hourly rows with hand-computed avoided energy, cost and CO2, measured and estimated apart', async () => {
    const stores = createMemoryStores();
    writeData(stores, now + 2 * HOUR);
    const h = harness(stores, now, cfg());
    await h.service.start();
    await h.service.whenIdle();
    await h.service.rollUp();

    const measured = stores.ledger.ledgerRows({
      kind: 'measured',
      method: 'baseline',
      fromMs: 0,
      toMs: now * 2,
    });
    const estimated = stores.ledger.ledgerRows({
      kind: 'estimated',
      method: 'baseline',
      fromMs: 0,
      toMs: now * 2,
    });
    const hours = (now - reportFrom) / HOUR;
    expect(measured).toHaveLength(hours);
    expect(measured.every((r) => r.spaceId === 'gym')).toBe(true);
    expect(estimated).toHaveLength(2 * hours);
    expect(estimated.every((r) => r.spaceId === 'corridor')).toBe(true);
    // The hour being written (now) is not complete: no row for it.
    expect(Math.max(...measured.map((r) => r.hourStartMs))).toBe(now - HOUR);

    for (const r of measured) {
      const base = load(r.hourStartMs);
      expect(r.baselineKWh).toBeCloseTo(base, 6);
      expect(r.measuredKWh).toBeCloseTo(0.8 * base, 9);
      expect(r.avoidedKWh).toBeCloseTo(0.2 * base, 6);
      expect(r.cost).toBeCloseTo(0.2 * base * 0.6, 6);
      expect(r.co2Kg).toBeCloseTo(0.2 * base * 0.5, 6);
      expect(r.baselineVersion).toMatch(/^towt-none:2025-06-01T16:00:00.000Z\/2026-01-31T16:00:00.000Z@1$/);
    }
    for (const r of estimated.filter((x) => x.endUse === 'hvac')) {
      const base = corHvac(r.hourStartMs);
      const hour = shanghaiHour(r.hourStartMs);
      const price = hour >= 8 && hour < 20 ? 1.0 : 0.3;
      expect(r.avoidedKWh).toBeCloseTo(0.3 * base, 6);
      expect(r.cost).toBeCloseTo(0.3 * base * price, 6);
      expect(r.co2Kg).toBeCloseTo(0.3 * base * 0.5, 6);
    }
    const [gymTotal] = stores.ledger.sumLedger({
      kind: 'measured',
      method: 'baseline',
      fromMs: 0,
      toMs: now,
    });
    let expectKWh = 0;
    for (let t = reportFrom; t < now; t += HOUR) expectKWh += 0.2 * load(t);
    expect(gymTotal?.avoidedKWh).toBeCloseTo(expectKWh, 5);
  });

  it('is idempotent on a re-run of the same hour, adds the next hour an hour later, and keeps the baseline across restarts', async () => {
    const stores = createMemoryStores();
    writeData(stores, now + 2 * HOUR);
    const h = harness(stores, now, cfg());
    await h.service.start();
    await h.service.whenIdle();
    await h.service.rollUp();
    const q = { kind: 'estimated' as const, method: 'baseline', fromMs: 0, toMs: now * 2 };
    const first = stores.ledger.sumLedger(q);
    await h.service.rollUp();
    await h.service.rollUp();
    expect(stores.ledger.sumLedger(q)).toEqual(first);
    expect(h.runner.kinds).toEqual(['baseline', 'baseline', 'baseline']);

    await h.scheduler.advanceTo(now + HOUR + 60_000);
    await h.service.whenIdle();
    const hvac = stores.ledger.ledgerRows({ ...q, spaceId: 'corridor', endUse: 'hvac' });
    expect(hvac).toHaveLength((now + HOUR - reportFrom) / HOUR);

    const again = harness(stores, now + HOUR + 120_000, cfg());
    await again.service.start();
    await again.service.whenIdle();
    await again.service.rollUp();
    expect(again.runner.kinds).toEqual([]);
    expect(stores.ledger.ledgerRows({ ...q, spaceId: 'corridor', endUse: 'hvac' })).toEqual(hvac);
  });

  it('never writes one hour under both kinds when a space goes from shadow to active', async () => {
    const stores = createMemoryStores();
    writeData(stores, now + 4 * HOUR);
    const periods = { baselines: [{ site: 'site-a', from: '2025-06-02', to: '2026-01-31' }] };
    const shadow = harness(stores, now, config(periods, { spaces: [] }));
    await shadow.service.start();
    await shadow.service.whenIdle();
    await shadow.service.rollUp();
    await shadow.service.stop();
    const active = harness(stores, now + 2 * HOUR + 60_000, config(periods));
    await active.service.start();
    await active.service.whenIdle();
    await active.service.rollUp();
    const q = { method: 'baseline', fromMs: 0, toMs: now * 2, spaceId: 'gym' };
    const estimated = stores.ledger.ledgerRows({ ...q, kind: 'estimated' }).map((r) => r.hourStartMs);
    const measured = stores.ledger.ledgerRows({ ...q, kind: 'measured' }).map((r) => r.hourStartMs);
    expect(estimated).toHaveLength((now - reportFrom) / HOUR);
    expect(measured).toEqual([now, now + HOUR]);
    expect(estimated.filter((t) => measured.includes(t))).toEqual([]);
  });

  it('writes nothing for spaces in mode off', async () => {
    const stores = createMemoryStores();
    writeData(stores, now);
    const h = harness(
      stores,
      now,
      config(
        { baselines: [{ site: 'site-a', from: '2025-06-02', to: '2026-01-31' }] },
        {
          spaces: [
            { space: 'gym', mode: 'active' },
            { space: 'corridor', mode: 'off' },
          ],
        },
      ),
    );
    await h.service.start();
    await h.service.whenIdle();
    await h.service.rollUp();
    expect(stores.ledger.ledgerRows({ kind: 'estimated', method: 'baseline', fromMs: 0, toMs: now })).toEqual(
      [],
    );
    expect(
      stores.ledger.ledgerRows({ kind: 'measured', method: 'baseline', fromMs: 0, toMs: now }).length,
    ).toBe(58);
  });

  it('reports no savings, and says why, when the readings before going active are too few', async () => {
    const stores = createMemoryStores();
    // Automatic baseline: what was metered before the space went active, here only ten days.
    writeHours(stores.intervals, GYM, now - 10 * DAY, now);
    const h = harness(stores, now, config({}));
    await h.service.start();
    await h.service.whenIdle();
    await h.service.rollUp();
    expect(
      stores.ledger.ledgerRows({ kind: 'measured', method: 'baseline', fromMs: 0, toMs: now * 2 }),
    ).toEqual([]);
    const line = h.log.lines.find((l) => l.level === 'info' && /still being gathered/.test(l.msg ?? ''));
    expect((line?.obj as { series?: string[] } | undefined)?.series).toContain('site-a/gym/lighting');
    expect(JSON.stringify(line?.obj)).toMatch(/spans 10\.0 days; at least 365 needed/);
    expect(stores.models.latestModel('site-a', 'gym', 'lighting', 'baseline')).toBeUndefined();
  });
});

describe('SavingsLedgerService, randomized on/off', () => {
  const start = midnight(2026, 2, 2); // a Monday
  const design = {
    site: 'site-a',
    startDate: '2026-02-02',
    weeks: 4,
    washoutHours: 0,
    seed: 7,
    minDaysPerArm: 5,
  };

  it('persists the seeded assignment, answers armFor, and estimates savings on treatment days', async () => {
    const stores = createMemoryStores();
    const end = start + 28 * DAY;
    const h = harness(stores, start - DAY, config({ randomized: [design] }));
    await h.service.start();
    await h.service.whenIdle();
    await h.service.rollUp();

    const dates = Array.from({ length: 28 }, (_, i) =>
      new Date(start + i * DAY + 8 * HOUR).toISOString().slice(0, 10),
    );
    const arms = dates.map((d) => h.service.armFor('site-a', d));
    expect(new Set(arms)).toEqual(new Set(['schedule', 'optimized']));
    expect(arms.filter((a) => a === 'optimized')).toHaveLength(14);
    expect(h.service.armFor('site-a', '2026-01-30')).toBe('optimized');
    expect(h.service.armFor('site-b', dates[0] as string)).toBe('optimized');
    expect(h.service.armAt('site-a', start + 12 * HOUR)).toBe(arms[0]);

    // Optimized days use 20 % less in every space.
    const factor = (t: number) => (h.service.armAt('site-a', t) === 'optimized' ? 0.8 : 1);
    writeHours(stores.intervals, GYM, start, end, (t) => factor(t) * load(t));
    writeHours(stores.intervals, COR_LIGHT, start, end, (t) => factor(t) * corLight(t));
    writeHours(stores.intervals, COR_HVAC, start, end, (t) => factor(t) * corHvac(t));
    h.clock.set(end + HOUR);
    await h.service.rollUp();

    const estimate = h.service.randomizedEstimate('site-a', 'gym', 'lighting');
    expect(estimate?.savingsShare).toBeCloseTo(0.2, 6);
    const rows = stores.ledger.ledgerRows({ kind: 'measured', method: 'randomized', fromMs: 0, toMs: end });
    expect(rows).toHaveLength(14 * 24);
    for (const r of rows) {
      expect(h.service.armAt('site-a', r.hourStartMs)).toBe('optimized');
      expect(r.baselineKWh).toBeCloseTo(load(r.hourStartMs), 6);
      expect(r.avoidedKWh).toBeCloseTo(0.2 * load(r.hourStartMs), 6);
      expect(r.cost).toBeCloseTo(0.2 * load(r.hourStartMs) * 0.6, 6);
      expect(r.baselineVersion).toMatch(/^randomized:seed7:2026-02-02:28d/);
    }
    // The corridor is in shadow mode: its randomized rows are estimates, never mixed with the gym's.
    expect(
      stores.ledger
        .ledgerRows({ kind: 'estimated', method: 'randomized', fromMs: 0, toMs: end })
        .every((r) => r.spaceId === 'corridor'),
    ).toBe(true);

    // A restart with a different seed in the config keeps the persisted assignment.
    const again = harness(stores, end + 2 * HOUR, config({ randomized: [{ ...design, seed: 99 }] }));
    await again.service.start();
    await again.service.whenIdle();
    await again.service.rollUp();
    expect(dates.map((d) => again.service.armFor('site-a', d))).toEqual(arms);
    expect(
      again.log.lines.some((l) => l.level === 'warn' && /differs from the persisted/.test(l.msg ?? '')),
    ).toBe(true);

    // The gym goes to shadow mode: its randomized rows so far stay measured, none is added as estimated.
    const shadow = harness(stores, end + 2 * DAY, config({ randomized: [design] }, { spaces: [] }));
    await shadow.service.start();
    await shadow.service.whenIdle();
    await shadow.service.rollUp();
    const gymRows = (kind: 'measured' | 'estimated') =>
      stores.ledger.ledgerRows({ kind, method: 'randomized', fromMs: 0, toMs: end * 2, spaceId: 'gym' });
    expect(gymRows('measured')).toHaveLength(14 * 24);
    expect(gymRows('estimated')).toEqual([]);
  });

  it('gives no estimate before each arm has enough days', async () => {
    const stores = createMemoryStores();
    const h = harness(stores, start - DAY, config({ randomized: [design] }));
    await h.service.start();
    writeHours(stores.intervals, GYM, start, start + 6 * DAY);
    h.clock.set(start + 6 * DAY + HOUR);
    await h.service.rollUp();
    expect(h.service.randomizedEstimate('site-a', 'gym', 'lighting')).toBeUndefined();
    expect(
      stores.ledger.ledgerRows({ kind: 'measured', method: 'randomized', fromMs: 0, toMs: start * 2 }),
    ).toEqual([]);
  });

  it('writes no rows while the days are too few for the week and weekday effects to leave an interval', async () => {
    const stores = createMemoryStores();
    const h = harness(stores, start - DAY, config({ randomized: [{ ...design, minDaysPerArm: 2 }] }));
    await h.service.start();
    writeHours(stores.intervals, GYM, start, start + 6 * DAY);
    h.clock.set(start + 6 * DAY + HOUR);
    await h.service.rollUp();
    expect(h.service.randomizedEstimate('site-a', 'gym', 'lighting')).toBeUndefined();
    expect(
      stores.ledger.ledgerRows({ kind: 'measured', method: 'randomized', fromMs: 0, toMs: start * 2 }),
    ).toEqual([]);
  });
});
