import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import { SqliteSensorStore } from '../../src/adapters/sqlite/sensor-store.js';
import { openSqliteStorage } from '../../src/adapters/sqlite/storage.js';
import { WorkerFitRunner } from '../../src/adapters/worker/worker-fit-runner.js';
import { parseConfigText } from '../../src/config/parse.js';
import type { QuietWattConfig } from '../../src/config/schema/index.js';
import { wireSavingsViews } from '../../src/main/savings-views.js';
import { SavingsLedgerService } from '../../src/services/savings/savings-ledger-service.js';
import { captureLogger } from '../helpers/logger.js';
import { DAY, HOUR, load, T0 } from '../unit/forecast-service/fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The site as an operator would write it: in shadow mode, no history, no baseline period, no design. */
function siteYaml(mode: 'shadow' | 'active', overrideHoldMinutes = 60): string {
  return stringify({
    version: 1,
    forecast: { holidays: 'none' },
    control: { defaultMode: mode, overrideHoldMinutes },
    savings: { verification: { minDaysPerArm: 3 } },
    sites: [
      {
        id: 'site-a',
        name: 'Site A',
        timezone: 'Asia/Shanghai',
        spaces: [
          {
            id: 'gym',
            type: 'gym',
            areaM2: 120,
            meters: [{ id: 'gym-light', topic: 'm/gym-light', measures: 'lighting' }],
          },
        ],
      },
    ],
  });
}

/** What a reload does first: the file is parsed and validated exactly as the config watcher does. */
function load_(text: string): QuietWattConfig {
  const r = parseConfigText(text, 'site.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.config as QuietWattConfig;
}

describe('savings from day one', () => {
  it('shadow for 14 days, active by a reload, no history: a measured figure with an interval; a planner change starts a new verification period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qw-day-one-'));
    dirs.push(dir);
    const storage = openSqliteStorage(dir, captureLogger());
    const { stores } = storage;
    let config = load_(siteYaml('shadow'));
    const clock = new ManualClock(T0);
    const scheduler = new SimulatedScheduler(clock);
    const runner = new WorkerFitRunner();
    const log = captureLogger();
    const savings = new SavingsLedgerService({
      clock,
      scheduler,
      log,
      intervals: stores.intervals,
      models: stores.models,
      ledger: stores.ledger,
      settings: stores.settings,
      runner,
      sites: config.sites,
      control: config.control,
      tariffs: config.tariffs,
      savings: config.savings,
      forecast: config.forecast,
      schedules: config.schedules,
    });
    const views = wireSavingsViews({
      config,
      savings,
      ...stores,
      sensors: new SqliteSensorStore(storage.database.db),
      audit: stores.setpointAudit,
    });
    await savings.start();

    // The building: a weekly pattern with day-to-day noise; on days QuietWatt runs optimized control
    // (active, and the verification design's treatment arm) it uses 20 % less.
    const rng = xoroshiro128plus(7);
    const dayNoise = new Map<number, number>();
    const noise = (t: number) => {
      const day = Math.floor((t + 8 * HOUR) / DAY);
      if (!dayNoise.has(day)) dayNoise.set(day, 0.9 + unsafeUniformIntDistribution(0, 200, rng) / 1000);
      return dayNoise.get(day) as number;
    };
    let active = false;
    // The first two control days after activation use nothing (the space's supply was off): such
    // days have no logarithm, and until two control days with use exist there is no estimate yet,
    // which is no failure to warn about.
    const offDays = new Set<number>();
    const hourKWh = (t: number) => {
      const day = Math.floor((t + 8 * HOUR) / DAY);
      if (active && savings.armAt('site-a', t) !== 'optimized' && (offDays.has(day) || offDays.size < 2)) {
        offDays.add(day);
        return 0;
      }
      return load(t) * noise(t) * (active && savings.armAt('site-a', t) === 'optimized' ? 0.8 : 1);
    };
    const runHours = async (hours: number) => {
      for (let i = 0; i < hours; i++) {
        const t = clock.now();
        stores.intervals.addIntervals([
          {
            meterId: 'gym-light',
            siteId: 'site-a',
            spaceId: 'gym',
            endUse: 'lighting',
            minutes: 60,
            startMs: t,
            energyKWh: hourKWh(t),
            coverage: 1,
            missing: false,
          },
        ]);
        await scheduler.advanceTo(t + HOUR);
        await savings.whenIdle();
      }
    };

    await runHours(14 * 24);
    expect(
      stores.ledger.ledgerRows({ kind: 'measured', method: 'randomized', fromMs: 0, toMs: clock.now() }),
    ).toEqual([]);
    expect(savings.verificationPeriods('site-a')).toEqual([]);
    expect(log.lines.some((l) => l.level === 'warn' && /no baseline/.test(l.msg ?? ''))).toBe(false);

    // Day 15: the operator sets the site active in the file; the reload reaches the ledger.
    const activatedMs = clock.now();
    config = load_(siteYaml('active'));
    views.reconfigure(config);
    active = true;
    await runHours(1);
    const [first] = savings.verificationPeriods('site-a');
    expect(first?.id).toBe('site-a:v1:2026-03-17');
    expect(1 - (first?.design.treatedShare ?? 0)).toBeCloseTo(config.savings.verification.controlShare, 9);

    // Run until the first randomized estimate, bounded by the design's length.
    let figure: ReturnType<typeof views.savingsView.savings>[number] | undefined;
    for (let day = 0; day < 6 * 7 && !figure; day++) {
      await runHours(24);
      figure = views.savingsView
        .savings({ fromMs: activatedMs, toMs: clock.now(), granularity: 'month', siteId: 'site-a' })
        .find((f) => f.kind === 'measured' && f.method === 'randomized' && f.spaceId === undefined);
    }
    expect(figure, 'a measured randomized figure for the community').toBeDefined();
    if (!figure?.interval) throw new Error('the figure has no interval');
    expect(figure.interval.method).toBe('randomized-t');
    expect(figure.interval.lowKWh).toBeLessThan(figure.avoidedKWh);
    expect(figure.interval.highKWh).toBeGreaterThan(figure.avoidedKWh);
    expect(figure.provenance).toEqual(['site-a:v1:2026-03-17']);
    expect(figure.currency).toBe('CNY');
    // The measured figure agrees with an independent sum of the ledger rows.
    const rows = stores.ledger.ledgerRows({
      kind: 'measured',
      method: 'randomized',
      fromMs: figure.periodStartMs,
      toMs: figure.periodEndMs,
    });
    expect(figure.avoidedKWh).toBeCloseTo(
      rows.reduce((s, r) => s + r.avoidedKWh, 0),
      6,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(offDays.size).toBe(2);
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).not.toContain(
      'randomized estimate failed',
    );

    // The planner's settings change: a new verification period starts the next local day.
    views.reconfigure(load_(siteYaml('active', 90)));
    await runHours(1);
    const periods = savings.verificationPeriods('site-a');
    expect(periods.map((p) => p.id)).toHaveLength(2);
    const [v1, v2] = periods;
    expect(v2?.id).toMatch(/^site-a:v2:/);
    expect(v1?.endDate).toBe(v2?.startDate);
    expect(log.lines.some((l) => /planner settings changed/.test(l.msg ?? ''))).toBe(true);

    await savings.stop();
    await runner.close();
    await scheduler.stop();
    await storage.component.stop();
  }, 120_000);
});
