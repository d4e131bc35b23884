import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { QuietWattConfig } from '../../../src/config/schema/index.js';
import type { ThermalRates } from '../../../src/domain/planning/types.js';
import { ControlService } from '../../../src/services/control/control-service.js';
import {
  ThermalLearner,
  thermalRatesKey,
  thermalSampleOf,
} from '../../../src/services/control/thermal-learning.js';
import { MemoryKeyValueStore, MemorySetpointAuditStore } from '../../helpers/fakes/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { FakeBus, FakeSensors, MINUTE, settle } from './fakes.js';

const TRUE: ThermalRates = { aPerH: 0.2, gainKPerH: 0.8, coolKPerH: -7, heatKPerH: 5 };
const DAY = 86_400_000;
/** Midnight in Shanghai, Wednesday 15 July 2026. */
const MIDNIGHT = Date.parse('2026-07-14T16:00:00Z');

const outdoorAt = (t: number) => 30 + 4 * Math.sin(((t - MIDNIGHT) / DAY - 0.375) * 2 * Math.PI);
/** The lobby schedule below: cooling at 26 °C from 07:00 to 22:00 local. */
const scheduledCool = (t: number) => {
  const h = ((((t - MIDNIGHT) % DAY) + DAY) % DAY) / 3_600_000;
  return h >= 7 && h < 22;
};

/** One minute of the RC space under an ideal thermostat limited by capacity. */
function step(tC: number, t: number, cooling: boolean, rates = TRUE): number {
  const dtH = 1 / 60;
  const free = tC + dtH * (rates.aPerH * (outdoorAt(t) - tC) + rates.gainKPerH);
  if (!cooling || free <= 26) return free;
  const u = Math.min(1, (free - 26) / (-rates.coolKPerH * dtH));
  return free + rates.coolKPerH * u * dtH;
}

describe('thermal samples', () => {
  it('counts off as no output and conditioning as full output only away from the setpoint', () => {
    const cool = { kind: 'hvac', mode: 'cool', setpointC: 26 } as const;
    expect(thermalSampleOf(0, 25, 30, { kind: 'hvac', mode: 'off' })).toMatchObject({ hvacDuty: 0 });
    expect(thermalSampleOf(0, 28, 30, cool)).toMatchObject({ hvacDuty: 1, mode: 'cool' });
    expect(thermalSampleOf(0, 26.2, 30, cool)).toBeUndefined();
    expect(thermalSampleOf(0, 28, 30, undefined)).toBeUndefined();
    expect(thermalSampleOf(0, 28, 30, { kind: 'lighting', levelPct: 50 })).toBeUndefined();
  });

  it('learns the rates of an RC space from three days on its schedule, and keeps them', () => {
    const settings = new MemoryKeyValueStore();
    const learner = new ThermalLearner(settings);
    let tC = 29;
    for (let t = MIDNIGHT; t < MIDNIGHT + 3 * DAY; t += MINUTE) {
      const cooling = scheduledCool(t);
      const hvac = cooling
        ? ({ kind: 'hvac', mode: 'cool', setpointC: 26 } as const)
        : ({ kind: 'hvac', mode: 'off' } as const);
      learner.observe('s/lobby', thermalSampleOf(t, tC, outdoorAt(t), hvac), t);
      tC = step(tC, t, cooling);
    }
    const learned = learner.learn('s/lobby', MIDNIGHT + 3 * DAY);
    expect(learned?.fitted).toMatchObject({ a: true, gain: true, cool: true });
    const r = learned?.rates as ThermalRates;
    expect(r.aPerH).toBeCloseTo(TRUE.aPerH, 1);
    expect(r.gainKPerH).toBeGreaterThan(TRUE.gainKPerH * 0.8);
    expect(r.gainKPerH).toBeLessThan(TRUE.gainKPerH * 1.2);
    expect(r.coolKPerH).toBeLessThan(TRUE.coolKPerH * 0.85);
    expect(r.coolKPerH).toBeGreaterThan(TRUE.coolKPerH * 1.15);
    // A new learner (a restart) reads them back from the settings store.
    expect(new ThermalLearner(settings).ratesOf('s/lobby')).toEqual(r);
    expect(settings.get(thermalRatesKey('s/lobby'))).toContain('"learnedAtMs"');
  });
});

function hvacConfig() {
  return QuietWattConfig.parse({
    // Optimal start may begin before the schedule here, so the learned rates show in its timing.
    control: { defaultMode: 'shadow', requireCommissioning: false, hvacPreStartBeforeScheduleMinutes: 180 },
    schedules: [
      {
        id: 'lobby-hvac',
        kind: 'hvac',
        blocks: [{ months: [6, 7, 8, 9], from: '07:00', to: '22:00', mode: 'cool', setpointC: 26 }],
      },
    ],
    sites: [
      {
        id: 'site',
        name: 'Site',
        timezone: 'Asia/Shanghai',
        spaces: [
          {
            id: 'lobby',
            type: 'lobby',
            areaM2: 100,
            meters: [{ id: 'lobby-hvac-meter', topic: 'm/lobby', measures: 'hvac' }],
            sensors: [{ id: 'lobby-temp', kind: 'indoor-temperature', topic: 's/lobby/t' }],
            devices: [{ id: 'lobby-ac', kind: 'hvac', schedule: 'lobby-hvac', ratedPowerW: 3000 }],
          },
        ],
      },
    ],
  });
}

describe('control service thermal learning', () => {
  it('learns the space rates at night from its own readings, and the next plans start later with them', async () => {
    const config = hvacConfig();
    // From 04:00, so the first morning is planned with the prior.
    const clock = new ManualClock(MIDNIGHT + 4 * 3_600_000);
    const scheduler = new SimulatedScheduler(clock);
    const sensors = new FakeSensors();
    const settings = new MemoryKeyValueStore();
    const audit = new MemorySetpointAuditStore();
    const log = captureLogger();
    const service = new ControlService({
      bus: new FakeBus(clock),
      clock,
      scheduler,
      log,
      audit,
      settings,
      setup: { sites: config.sites, schedules: config.schedules, control: config.control, prefix: 'qw' },
      sensors,
      meters: { meter: () => ({ lastReadingTsMs: clock.now(), accepted: 1 }) },
    });
    let tC = 29;
    const publish = (t: number) => {
      sensors.values.set('site/lobby/indoor-temperature', {
        sensorId: 'lobby-temp',
        value: tC,
        tsMs: t,
        stale: false,
      });
      sensors.values.set('site/null/outdoor-temperature', {
        sensorId: 'out',
        value: outdoorAt(t),
        tsMs: t,
        stale: false,
      });
    };
    publish(clock.now());
    await service.start();
    for (let t = clock.now(); t < MIDNIGHT + 4 * DAY; t += MINUTE) {
      // Shadow mode: the unit runs its own schedule.
      tC = step(tC, t, scheduledCool(t));
      publish(t + MINUTE);
      await scheduler.advanceTo(t + MINUTE);
      await settle();
    }
    await service.stop();
    const learnedLines = log.lines.filter((l) => l.msg === 'thermal rates learned');
    expect(learnedLines.length).toBeGreaterThanOrEqual(3);
    const stored = JSON.parse(settings.get(thermalRatesKey('site/lobby')) ?? '{}') as { rates: ThermalRates };
    expect(stored.rates.coolKPerH).toBeLessThan(-5);
    // The first conditioning decision of each morning: with the prior (a slow space) it is early.
    const rows = audit.query({ spaceId: 'lobby', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER }).map((r) => ({
      decidedAtMs: r.decidedAtMs,
      value: JSON.parse(r.valueJson) as { kind: string; mode?: string },
      inputs: JSON.parse(r.inputsJson) as Record<string, unknown>,
    }));
    const firstCool = (day: number) =>
      rows.find(
        (r) =>
          r.decidedAtMs >= MIDNIGHT + day * DAY &&
          r.decidedAtMs < MIDNIGHT + day * DAY + 12 * 3_600_000 &&
          r.value.kind === 'hvac' &&
          r.value.mode === 'cool',
      );
    const day0 = firstCool(0);
    const day3 = firstCool(3);
    expect(day0?.inputs).toMatchObject({ thermalRates: 'prior' });
    expect(day3?.inputs).toMatchObject({ thermalRates: 'learned' });
    const localMin = (ms: number | undefined) => (((ms ?? 0) - MIDNIGHT) % DAY) / MINUTE;
    expect(localMin(day3?.decidedAtMs)).toBeGreaterThan(localMin(day0?.decidedAtMs));
  });
});
