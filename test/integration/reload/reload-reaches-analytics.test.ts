/**
 * A reload reaches the forecast and savings services, field by field (issue 9, item 3): real
 * SQLite file, the real services on a simulated clock, reloaded as the running service reloads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dayNumber } from '../../../src/domain/calendar/day-number.js';
import {
  baseConfig,
  DAY_MS,
  gymHvacMeter,
  type Harness,
  HOUR_MS,
  lobbySpace,
  midnight,
  NOW_MS,
  type RawConfig,
  SITE,
  startHarness,
  weekLoad,
} from './harness.js';

/** The default verification on, with the short arms of a test. */
function withVerification(raw: RawConfig): void {
  raw.savings = {
    baselines: [{ from: '2025-06-02', to: '2026-01-31' }],
    verification: { minDaysPerArm: 3 },
  };
  raw.schedules = [gymSchedule(20)];
}

function gymSchedule(offAt: number) {
  return {
    id: 'gym-lighting',
    kind: 'lighting',
    defaultLevelPct: 0,
    blocks: [{ from: '07:00', to: `${offAt}:00`, levelPct: 100 }],
  };
}

const QUARTER_MS = 15 * 60_000;

/** The space occupied in every quarter of the range, as its occupancy sensor would have said. */
function occupied(h: Harness, spaceId: string, fromMs: number, toMs: number): void {
  const rows = [];
  for (let t = fromMs; t < toMs; t += QUARTER_MS) {
    rows.push({
      sensorId: `${spaceId}-pir-history`,
      siteId: SITE,
      spaceId,
      kind: 'occupancy' as const,
      startMs: t,
      valueSum: 1,
      count: 1,
      occupiedMs: QUARTER_MS,
      observedMs: QUARTER_MS,
    });
  }
  h.sensors.addQuarters(rows);
}

function sensorQuarters(
  h: Harness,
  spaceId: string,
  kind: 'indoor-temperature' | 'illuminance',
  fromMs: number,
  toMs: number,
  value: number,
): void {
  const rows = [];
  for (let t = fromMs; t < toMs; t += QUARTER_MS) {
    rows.push({
      sensorId: `${spaceId}-${kind}-history`,
      siteId: SITE,
      spaceId,
      kind,
      startMs: t,
      valueSum: value,
      count: 1,
      occupiedMs: 0,
      observedMs: 0,
    });
  }
  h.sensors.addQuarters(rows);
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function harness(edit?: (raw: RawConfig) => void): Promise<Harness> {
  const raw = baseConfig();
  edit?.(raw);
  const h = await startHarness(raw);
  open.push(h);
  return h;
}

const gym = (raw: { sites: { spaces: Record<string, unknown>[] }[] }): Record<string, unknown> => {
  const space = raw.sites[0]?.spaces.find((s) => s.id === 'gym');
  if (!space) throw new Error('no gym');
  return space;
};

/** Rolls the ledger up `hours` later than now. */
async function rollUpAt(h: Harness, tMs: number): Promise<void> {
  h.clock.set(tMs);
  await h.savings.rollUp();
}

describe('a reload reaches the forecast and savings services', () => {
  it('spaces: a new space is forecast and counted in the ledger; a removed one is neither', async () => {
    const h = await harness();
    await h.savings.rollUp();
    expect(h.forecast.forecastFor(SITE, 'lobby', 'lighting')).toBeUndefined();
    expect(h.rows('lobby', 'lighting')).toHaveLength(0);

    const outcome = await h.reload((raw) => raw.sites[0]?.spaces.push(lobbySpace()));
    expect(outcome.kind).toBe('applied');
    expect(h.forecast.forecastFor(SITE, 'lobby', 'lighting')?.kWh.length).toBe(48);
    await rollUpAt(h, NOW_MS + HOUR_MS);
    expect(h.rows('lobby', 'lighting').length).toBeGreaterThan(0);

    await h.reload((raw) => {
      const site = raw.sites[0];
      if (site) site.spaces = site.spaces.filter((s) => s.id !== 'gym');
    });
    expect(h.forecast.forecastFor(SITE, 'gym', 'lighting')).toBeUndefined();
    const gymRows = h.rows('gym', 'lighting').length;
    await rollUpAt(h, NOW_MS + 3 * HOUR_MS);
    expect(h.rows('gym', 'lighting')).toHaveLength(gymRows);
    expect(h.rows('lobby', 'lighting').length).toBeGreaterThan(0);
  });

  it('meters: a meter added to a space gives a new series, forecast and counted; a replaced meter gets a new model and baseline', async () => {
    const h = await harness();
    await h.savings.rollUp();
    expect(h.forecast.forecastFor(SITE, 'gym', 'hvac')).toBeUndefined();
    const lightingVersion = h.forecast.forecastFor(SITE, 'gym', 'lighting')?.modelVersion ?? Number.NaN;
    const baselines = () => h.log.lines.filter((l) => l.msg === 'baseline fitted').map((l) => l.obj);

    await h.reload((raw) => (gym(raw).meters as unknown[]).push(gymHvacMeter()));
    expect(h.forecast.forecastFor(SITE, 'gym', 'hvac')?.kWh.length).toBe(48);
    await rollUpAt(h, NOW_MS + HOUR_MS);
    const rows = h.rows('gym', 'hvac');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.measuredKWh).toBeCloseTo(0.75 * weekLoad(r.hourStartMs), 6);
    expect(baselines()).toHaveLength(2);

    // The lighting meter replaced: the old model and baseline were of another meter.
    await h.reload((raw) => {
      gym(raw).meters = [{ id: 'gym-light-2', topic: 'm/gym-light-2', measures: 'lighting' }, gymHvacMeter()];
    });
    expect(h.forecast.forecastFor(SITE, 'gym', 'lighting')?.modelVersion).toBe(lightingVersion + 1);
    await rollUpAt(h, NOW_MS + 2 * HOUR_MS);
    expect(baselines()).toHaveLength(3);
    expect(baselines()[2]).toMatchObject({ series: 'site-a/gym/lighting' });
  });

  it('tariffs: rows written after the reload are priced at the new tariff', async () => {
    const h = await harness();
    await h.savings.rollUp();
    const before = h.rows('gym', 'lighting');
    expect(before.length).toBeGreaterThan(0);
    for (const r of before) expect(r.cost).toBeCloseTo(r.avoidedKWh * 0.641, 6);

    await h.reload((raw) => {
      raw.tariffs = {
        tariffs: [
          {
            kind: 'flat',
            id: 'site-a-bill',
            name: 'Site A bill',
            currency: 'EUR',
            pricePerKWh: 2,
            year: 2026,
            source: 'the February bill',
          },
        ],
        meterTariffs: { 'gym-light': 'site-a-bill' },
      };
    });
    await rollUpAt(h, NOW_MS + 5 * HOUR_MS);
    const after = h.rows('gym', 'lighting').filter((r) => r.hourStartMs >= NOW_MS);
    expect(after.length).toBeGreaterThanOrEqual(5);
    for (const r of after) {
      expect(r.currency).toBe('EUR');
      expect(r.cost).toBeCloseTo(r.avoidedKWh * 2, 6);
    }
  });

  it('holiday calendars: the forecast calendar has the new day off and the models are refitted on it; the baseline treats it as a Sunday', async () => {
    const h = await harness();
    const thursday = dayNumber('2026-02-05');
    const version = h.forecast.forecastFor(SITE, 'gym', 'lighting')?.modelVersion;
    expect(h.forecast.holidayCalendar(SITE).kindOf(thursday)).toBe('normal');

    await h.reload((raw) => {
      raw.forecast = { holidays: 'none', trainDays: 28, extraHolidays: ['2026-02-04', '2026-02-05'] };
    });
    expect(h.forecast.holidayCalendar(SITE).kindOf(thursday)).toBe('holiday');
    expect(h.forecast.forecastFor(SITE, 'gym', 'lighting')?.modelVersion).toBe((version ?? 0) + 1);

    // The ledger's baseline for today's hours after the reload: a Sunday's, not a Wednesday's.
    await rollUpAt(h, midnight(2026, 2, 4) + 14 * HOUR_MS);
    const rowAt = (tMs: number) => h.rows('gym', 'lighting').find((r) => r.hourStartMs === tMs);
    expect(rowAt(midnight(2026, 2, 3) + 12 * HOUR_MS)?.baselineKWh).toBeGreaterThan(2.5);
    expect(rowAt(midnight(2026, 2, 4) + 12 * HOUR_MS)?.baselineKWh).toBeLessThan(1.5);
  });

  it('sensors: an occupancy sensor added is forecast, one removed is not; a new illuminance sensor judges the light in the comfort view', async () => {
    const h = await harness((raw) => {
      gym(raw).devices = [{ id: 'gym-lights', kind: 'lighting', ratedPowerW: 400, fullOutputLux: 500 }];
    });
    occupied(h, 'gym', NOW_MS - 14 * DAY_MS, NOW_MS);
    sensorQuarters(h, 'gym', 'illuminance', NOW_MS - DAY_MS, NOW_MS, 50);
    const comfort = () =>
      h.views.comfortView.comfort({ fromMs: NOW_MS - DAY_MS, toMs: NOW_MS, siteId: SITE, spaceId: 'gym' })[0];
    expect(h.forecast.occupancyFor(SITE, 'gym')).toBeUndefined();
    expect(comfort()?.occupiedHours).toBeGreaterThan(0);
    expect(comfort()?.underLitOccupiedHours).toBe(0);

    await h.reload((raw) => {
      gym(raw).sensors = [
        { id: 'gym-pir', topic: 's/gym-pir', kind: 'occupancy' },
        { id: 'gym-lux', topic: 's/gym-lux', kind: 'illuminance' },
      ];
    });
    expect(h.forecast.occupancyFor(SITE, 'gym')?.probability).toHaveLength(48);
    // 50 lx of the lights' 500 lx is 10 %: under the gym's occupied level in every occupied hour.
    expect(comfort()?.underLitOccupiedHours).toBeCloseTo(comfort()?.occupiedHours ?? Number.NaN, 6);

    await h.reload((raw) => {
      gym(raw).sensors = [];
    });
    expect(h.forecast.occupancyFor(SITE, 'gym')).toBeUndefined();
    expect(comfort()?.underLitOccupiedHours).toBe(0);
  });

  it('devices: an HVAC device added makes the space conditioned in the comfort view; models and ledger carry on', async () => {
    const h = await harness();
    occupied(h, 'gym', NOW_MS - DAY_MS, NOW_MS);
    sensorQuarters(h, 'gym', 'indoor-temperature', NOW_MS - DAY_MS, NOW_MS, 31);
    const comfort = () =>
      h.views.comfortView.comfort({ fromMs: NOW_MS - DAY_MS, toMs: NOW_MS, siteId: SITE, spaceId: 'gym' })[0];
    await h.savings.rollUp();
    const version = h.forecast.forecastFor(SITE, 'gym', 'lighting')?.modelVersion;
    expect(comfort()?.discomfortKh).toBe(0);

    await h.reload((raw) => {
      gym(raw).devices = [{ id: 'gym-ac', kind: 'hvac', ratedPowerW: 3000 }];
    });
    // 31 °C against the default band's 28 °C upper edge, for every occupied hour.
    const kpi = comfort();
    expect(kpi?.discomfortKh).toBeCloseTo(3 * (kpi?.occupiedHours ?? Number.NaN), 6);
    expect(h.forecast.forecastFor(SITE, 'gym', 'lighting')?.modelVersion).toBe(version);
    const rows = h.rows('gym', 'lighting').length;
    await rollUpAt(h, NOW_MS + 2 * HOUR_MS);
    expect(h.rows('gym', 'lighting').length).toBe(rows + 2);
  });

  it('schedules: a changed schedule starts a new verification period in the ledger', async () => {
    const h = await harness(withVerification);
    await h.savings.rollUp();
    expect(h.savings.verificationPeriods(SITE).map((p) => p.id)).toEqual(['site-a:v1:2026-02-05']);

    await rollUpAt(h, NOW_MS + 2 * DAY_MS);
    await h.reload((raw) => {
      raw.schedules = [gymSchedule(18)];
    });
    await h.savings.rollUp();
    expect(h.savings.verificationPeriods(SITE).map((p) => p.id)).toEqual([
      'site-a:v1:2026-02-05',
      'site-a:v2:2026-02-07',
    ]);
  });

  it('comfort bands: a narrower band starts a new verification period and is what the comfort view measures against', async () => {
    const h = await harness((raw) => {
      withVerification(raw);
      gym(raw).devices = [{ id: 'gym-ac', kind: 'hvac', ratedPowerW: 3000 }];
    });
    occupied(h, 'gym', NOW_MS - DAY_MS, NOW_MS);
    sensorQuarters(h, 'gym', 'indoor-temperature', NOW_MS - DAY_MS, NOW_MS, 27);
    const comfort = () =>
      h.views.comfortView.comfort({ fromMs: NOW_MS - DAY_MS, toMs: NOW_MS, siteId: SITE, spaceId: 'gym' })[0];
    await h.savings.rollUp();
    expect(comfort()?.discomfortKh).toBe(0);

    await rollUpAt(h, NOW_MS + 2 * DAY_MS);
    await h.reload((raw) => {
      raw.control = { defaultMode: 'active', comfort: { comfortLowC: 20, comfortHighC: 26 } };
    });
    await h.savings.rollUp();
    expect(h.savings.verificationPeriods(SITE)).toHaveLength(2);
    const kpi = comfort();
    expect(kpi?.discomfortKh).toBeCloseTo(1 * (kpi?.occupiedHours ?? Number.NaN), 6);
  });

  it('savings designs: a changed baseline period is refitted; a randomized design added is the one the ledger and control use', async () => {
    const h = await harness();
    await h.savings.rollUp();
    const fitted = () => h.log.lines.filter((l) => l.msg === 'baseline fitted').length;
    expect(fitted()).toBe(1);
    const firstVersion = h.rows('gym', 'lighting')[0]?.baselineVersion;
    expect(h.savings.verificationPeriods(SITE)).toEqual([]);

    await h.reload((raw) => {
      raw.savings = {
        baselines: [{ from: '2025-08-04', to: '2026-01-31' }],
        randomized: [{ site: SITE, startDate: '2026-02-09', weeks: 4, seed: 7 }],
        verification: { enabled: false },
      };
    });
    await rollUpAt(h, NOW_MS + HOUR_MS);
    expect(fitted()).toBe(2);
    const latest = h.rows('gym', 'lighting').at(-1);
    expect(latest?.baselineVersion).not.toBe(firstVersion);
    const [design] = h.savings.verificationPeriods(SITE);
    expect(design?.id).toBe('randomized:seed7:2026-02-09');
    const controlDay = design?.design.days.find((d) => d.arm === 'control')?.date;
    expect(controlDay).toBeDefined();
    expect(h.savings.armFor(SITE, controlDay ?? '')).toBe('schedule');
  });
});
