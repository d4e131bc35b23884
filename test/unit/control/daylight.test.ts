import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { QuietWattConfig } from '../../../src/config/schema/index.js';
import { SetpointPayload } from '../../../src/domain/setpoints/contract.js';
import { ControlService } from '../../../src/services/control/control-service.js';
import { MemoryKeyValueStore, MemorySetpointAuditStore } from '../../helpers/fakes/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { FakeBus, FakeSensors, MINUTE, settle } from './fakes.js';

/** 06:00 in Shanghai, Wednesday 15 July 2026. */
const START = Date.parse('2026-07-14T22:00:00Z');
const FULL_LUX = 400;
const OCCUPIED_PCT = 80; // the lobby type's occupied level
const HOURS = 12;

/** Daylight at the sensor, lx: none at 06:00, 360 lx at noon, none at 18:00. */
const daylightLux = (t: number) => Math.max(0, 360 * Math.sin(((t - START) / (HOURS * 3_600_000)) * Math.PI));

function config(fullOutputLux?: number, requireCommissioning = false, scheduleLevelPct = 100) {
  return QuietWattConfig.parse({
    control: { defaultMode: 'active', requireCommissioning },
    schedules: [{ id: 'lobby-lighting', kind: 'lighting', defaultLevelPct: scheduleLevelPct, blocks: [] }],
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
            meters: [{ id: 'lobby-meter', topic: 'm/lobby', measures: 'lighting' }],
            sensors: [
              { id: 'lobby-motion', kind: 'occupancy', topic: 's/lobby/m' },
              { id: 'lobby-lux', kind: 'illuminance', topic: 's/lobby/lux' },
            ],
            devices: [
              {
                id: 'lobby-lights',
                kind: 'lighting',
                schedule: 'lobby-lighting',
                ratedPowerW: 500,
                ...(fullOutputLux === undefined ? {} : { fullOutputLux }),
              },
            ],
          },
        ],
      },
    ],
  });
}

/** A lobby occupied all day; per minute, the artificial level in force and the lit level (artificial + daylight share). */
async function day(fullOutputLux?: number): Promise<{ artificial: number; lit: number }[]> {
  const c = config(fullOutputLux);
  const clock = new ManualClock(START);
  const scheduler = new SimulatedScheduler(clock);
  const sensors = new FakeSensors();
  const bus = new FakeBus(clock);
  const service = new ControlService({
    bus,
    clock,
    scheduler,
    log: captureLogger(),
    audit: new MemorySetpointAuditStore(),
    settings: new MemoryKeyValueStore(),
    setup: { sites: c.sites, schedules: c.schedules, control: c.control, prefix: 'qw' },
    sensors,
    meters: { meter: () => ({ lastReadingTsMs: clock.now(), accepted: 1 }) },
  });
  let level = 100; // the schedule's level until something is sent
  bus.tap = (p) => {
    if (p.topic !== 'qw/site/lobby/lobby-lights/set' || p.payload === '') return;
    const v = SetpointPayload.parse(JSON.parse(p.payload)).value;
    if ('levelPct' in v) level = v.levelPct;
  };
  const read = (t: number) =>
    sensors.values.set('site/lobby/illuminance', {
      sensorId: 'lobby-lux',
      value: (level / 100) * FULL_LUX + daylightLux(t),
      tsMs: t,
      stale: false,
    });
  read(START);
  sensors.emit('site', 'lobby', true, START);
  await service.start();
  await settle();
  const out: { artificial: number; lit: number }[] = [];
  for (let t = START; t < START + HOURS * 3_600_000; t += MINUTE) {
    read(t);
    await scheduler.advanceTo(t + MINUTE);
    await settle();
    // The level in force over the minute that follows, with the daylight at its end.
    out.push({ artificial: level, lit: level + (daylightLux(t + MINUTE) / FULL_LUX) * 100 });
  }
  await service.stop();
  return out;
}

describe('daylight harvesting', () => {
  it('lowers the artificial level in daylight while the lit level stays at the occupied level', async () => {
    const minutes = await day(FULL_LUX);
    for (const m of minutes) expect(m.lit).toBeGreaterThanOrEqual(OCCUPIED_PCT - 1e-9);
    const noon = minutes[6 * 60];
    expect(noon?.artificial).toBeLessThan(OCCUPIED_PCT - 30);
    // At dusk the lights come back up.
    expect(minutes.at(-1)?.artificial).toBeGreaterThanOrEqual(OCCUPIED_PCT - 10);
  });

  it('without the full-output illuminance nothing is reduced', async () => {
    const minutes = await day();
    for (const m of minutes) expect(m.artificial).toBeGreaterThanOrEqual(OCCUPIED_PCT);
  });
});

describe('full-output illuminance measured at commissioning', () => {
  it('raises the lights to full, reads the illuminance step after the echo, records it and plans with it', async () => {
    const c = config(undefined, true, 40);
    const clock = new ManualClock(START);
    const scheduler = new SimulatedScheduler(clock);
    const sensors = new FakeSensors();
    const bus = new FakeBus(clock);
    const settings = new MemoryKeyValueStore();
    const audit = new MemorySetpointAuditStore();
    const service = new ControlService({
      bus,
      clock,
      scheduler,
      log: captureLogger(),
      audit,
      settings,
      setup: { sites: c.sites, schedules: c.schedules, control: c.control, prefix: 'qw' },
      sensors,
      meters: { meter: () => ({ lastReadingTsMs: clock.now(), accepted: clock.now() }) },
    });
    const DAYLIGHT = 50;
    let level = 40; // running its schedule
    const read = () =>
      sensors.values.set('site/lobby/illuminance', {
        sensorId: 'lobby-lux',
        value: (level / 100) * FULL_LUX + DAYLIGHT,
        tsMs: clock.now(),
        stale: false,
      });
    read();
    bus.tap = (p) => {
      if (p.topic !== 'qw/site/lobby/lobby-lights/set' || p.payload === '') return;
      const sp = SetpointPayload.parse(JSON.parse(p.payload));
      if ('levelPct' in sp.value) level = sp.value.levelPct;
      // The controller applies it and echoes the id.
      queueMicrotask(() =>
        bus.deliver('qw/site/lobby/lobby-lights/state', JSON.stringify({ appliedSetpointId: sp.id })),
      );
    };
    await service.start();
    await settle();
    expect(level).toBe(100);
    // The echo alone does not finish the check: a reading after it is awaited.
    clock.set(START + 30_000);
    read();
    await scheduler.advanceTo(START + MINUTE);
    await settle();
    const result = JSON.parse(settings.get('control.commissioning.site/lobby/lobby-lights') ?? '{}') as {
      passed?: boolean;
      fullOutputLux?: number;
    };
    expect(result.passed).toBe(true);
    expect(result.fullOutputLux).toBeCloseTo(FULL_LUX, 6);
    expect(Number(settings.get('control.fullOutputLux.site/lobby/lobby-lights'))).toBeCloseTo(FULL_LUX, 6);
    await scheduler.advanceTo(START + 16 * MINUTE);
    await settle();
    const rows = audit.query({ spaceId: 'lobby', fromMs: START + MINUTE, toMs: Number.MAX_SAFE_INTEGER });
    expect(
      rows.some((r) => (JSON.parse(r.inputsJson) as { fullOutputLux?: number }).fullOutputLux !== undefined),
    ).toBe(true);
    await service.stop();
  });
});
