import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { QuietWattConfig } from '../../../src/config/schema/index.js';
import { SetpointPayload } from '../../../src/domain/setpoints/contract.js';
import { ControlService } from '../../../src/services/control/control-service.js';
import { MemoryKeyValueStore, MemorySetpointAuditStore } from '../../helpers/fakes/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { FakeBus, FakeSensors, MINUTE, settle } from './fakes.js';

/** 05:00 in Shanghai, Wednesday 15 July 2026. */
const START = Date.parse('2026-07-14T21:00:00Z');
const SPACES = ['gym', 'clubhouse'] as const;

function config(hvacPeakLimitKW?: number) {
  return QuietWattConfig.parse({
    control: {
      defaultMode: 'active',
      requireCommissioning: false,
      ...(hvacPeakLimitKW === undefined ? {} : { hvacPeakLimitKW }),
    },
    schedules: [
      {
        id: 'hvac',
        kind: 'hvac',
        blocks: [{ months: [7], from: '07:00', to: '22:00', mode: 'cool', setpointC: 26 }],
      },
    ],
    sites: [
      {
        id: 'site',
        name: 'Site',
        timezone: 'Asia/Shanghai',
        spaces: SPACES.map((id) => ({
          id,
          type: id,
          areaM2: 100,
          meters: [{ id: `${id}-meter`, topic: `m/${id}`, measures: 'hvac' }],
          sensors: [{ id: `${id}-temp`, kind: 'indoor-temperature', topic: `s/${id}/t` }],
          devices: [{ id: `${id}-ac`, kind: 'hvac', schedule: 'hvac', ratedPowerW: 3000 }],
        })),
      },
    ],
  });
}

/** Minutes of a day in which both units (and each unit) had a running mode in force, as published. */
async function minutesBothRunning(limitKW?: number): Promise<{ both: number; each: number[] }> {
  const c = config(limitKW);
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
  const running = new Map<string, boolean>();
  bus.tap = (p) => {
    const space = SPACES.find((s) => p.topic === `qw/site/${s}/${s}-ac/set`);
    if (!space) return;
    const v = p.payload === '' ? undefined : SetpointPayload.parse(JSON.parse(p.payload)).value;
    running.set(space, v !== undefined && 'mode' in v && v.mode !== 'off');
  };
  let both = 0;
  const each = SPACES.map(() => 0);
  await service.start();
  for (let t = START; t < START + 18 * 60 * MINUTE; t += MINUTE) {
    sensors.values.set('site/null/outdoor-temperature', {
      sensorId: 'out',
      value: 34,
      tsMs: t,
      stale: false,
    });
    for (const s of SPACES)
      sensors.values.set(`site/${s}/indoor-temperature`, {
        sensorId: `${s}-temp`,
        value: s === 'gym' ? 29 : 30,
        tsMs: t,
        stale: false,
      });
    await scheduler.advanceTo(t + MINUTE);
    await settle();
    if (SPACES.every((s) => running.get(s))) both++;
    SPACES.forEach((s, i) => {
      if (running.get(s)) each[i] = (each[i] ?? 0) + 1;
    });
  }
  await service.stop();
  return { both, each };
}

describe('community peak limit', () => {
  it('without a limit both units run together in their scheduled hours', async () => {
    expect((await minutesBothRunning()).both).toBeGreaterThan(60);
  });

  it('with a limit below two units, never two run at once', async () => {
    const r = await minutesBothRunning(4);
    expect(r.both).toBe(0);
    // The unit nearest its band edge (the clubhouse, warmer here) keeps running all day.
    expect(r.each[1]).toBeGreaterThan(600);
  });
});
