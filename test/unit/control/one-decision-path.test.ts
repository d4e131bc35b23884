import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { MemoryBus } from '../../../src/adapters/memory-bus/memory-bus.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import type * as NextValueModule from '../../../src/domain/control/next-value.js';
import type { NextValue, NextValueInput } from '../../../src/domain/control/next-value.js';
import { TARIFF_PRESETS } from '../../../src/domain/tariff/presets.js';
import { ControlService } from '../../../src/services/control/control-service.js';
import { PlannerDispatcher } from '../../../src/sim/bench/planner-dispatcher.js';
import { MemoryKeyValueStore, MemorySetpointAuditStore } from '../../helpers/fakes/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { FakeBus, FakeSensors, gymConfig, MINUTE, settle } from './fakes.js';

/** Every call of the one decision function, with the path that made it. */
const seen = vi.hoisted(() => ({
  path: '',
  calls: [] as { path: string; input: NextValueInput; result: NextValue }[],
}));

vi.mock('../../../src/domain/control/next-value.js', async (importOriginal) => {
  const real = await importOriginal<typeof NextValueModule>();
  return {
    ...real,
    nextDeviceValue: (input: NextValueInput): NextValue => {
      const result = real.nextDeviceValue(input);
      seen.calls.push({ path: seen.path, input, result });
      return result;
    },
  };
});

/** 23:00 in Shanghai: the gym's schedule has its lights off, so presence has something to raise. */
const LATE = Date.parse('2026-07-15T15:00:00Z');
const GYM_SET = 'quietwatt/site/gym/gym-lights/set';

/** Ids of the setpoints a path's calls told it to send. */
function sentIds(path: string): Set<string> {
  const ids = seen.calls
    .filter((c) => c.path === path && c.result.verdict === 'send' && c.result.outcome.action === 'setpoint')
    .map((c) => (c.result.outcome.action === 'setpoint' ? c.result.outcome.payload.id : ''));
  return new Set(ids);
}

/** The setpoints (id and lighting level) in the native payloads published on the gym lights' topic. */
function gymSetpoints(payloads: readonly string[]): { id: string; levelPct: number }[] {
  return payloads
    .filter((p) => p.length > 0)
    .map((p) => JSON.parse(p) as { id: string; value: { levelPct: number } })
    .map((p) => ({ id: p.id, levelPct: p.value.levelPct }));
}

const reading = (tsMs: number, occupied: boolean) =>
  JSON.stringify({ ts: new Date(tsMs).toISOString(), value: occupied });
const DAY_MS = 86_400_000;

describe("one path decides a device's next value", () => {
  it('the control service and the bench arm send only what nextDeviceValue decided, and agree on presence', async () => {
    // The control service, with a person arriving in the gym three minutes after the start.
    seen.path = 'service';
    const config = gymConfig();
    const clock = new ManualClock(LATE);
    const scheduler = new SimulatedScheduler(clock);
    const sensors = new FakeSensors();
    const serviceBus = new FakeBus(clock);
    const service = new ControlService({
      bus: serviceBus,
      clock,
      scheduler,
      log: captureLogger(),
      audit: new MemorySetpointAuditStore(),
      settings: new MemoryKeyValueStore(),
      setup: {
        sites: config.sites,
        schedules: config.schedules,
        control: config.control,
        prefix: 'quietwatt',
      },
      sensors,
      meters: { meter: () => ({ lastReadingTsMs: clock.now(), accepted: 1 }) },
    });
    await service.start();
    await scheduler.advanceTo(LATE + 3 * MINUTE);
    await settle();
    sensors.emit('site', 'gym', true, clock.now());
    await settle();
    await scheduler.advanceTo(LATE + 5 * MINUTE);
    await settle();
    await service.stop();
    const serviceSent = gymSetpoints(serviceBus.on(GYM_SET).map((p) => p.payload));

    // The bench's direct arm on the same config, clock times and person.
    seen.path = 'bench';
    const benchClock = new ManualClock(LATE - 2 * DAY_MS);
    const bus = new MemoryBus(benchClock);
    const benchPayloads: string[] = [];
    await bus.subscribe([GYM_SET], (m) => benchPayloads.push(new TextDecoder().decode(m.payload)));
    const tariff = TARIFF_PRESETS[0];
    if (!tariff) throw new Error('no tariff preset');
    const bench = new PlannerDispatcher(config, bus, benchClock, tariff);
    await bench.start();
    // Two quiet days heard while learning: the bench plans the gym dark at night, as the service does.
    await bus.publish('s/gym', reading(LATE - 2 * DAY_MS, false), { qos: 0 });
    bench.active = true;
    for (let t = LATE; t <= LATE + 5 * MINUTE; t += MINUTE) {
      benchClock.set(t);
      if (t === LATE + 3 * MINUTE) await bus.publish('s/gym', reading(t, true), { qos: 0 });
      bench.tick(t);
    }
    const benchSent = gymSetpoints(benchPayloads);

    expect(serviceSent.length).toBeGreaterThan(0);
    expect(benchSent.length).toBeGreaterThan(0);
    // Nothing reaches a controller that the function did not decide to send.
    const serviceIds = sentIds('service');
    const benchIds = sentIds('bench');
    for (const p of serviceSent) expect(serviceIds.has(p.id), p.id).toBe(true);
    for (const p of benchSent) expect(benchIds.has(p.id), p.id).toBe(true);
    // Dark by the plan, then raised by presence: the same levels on both paths.
    const levels = (sent: readonly { levelPct: number }[]) => sent.map((p) => p.levelPct);
    expect(levels(benchSent)).toEqual(levels(serviceSent));
    expect(levels(serviceSent).at(-1)).toBeGreaterThan(0);
    const raises = seen.calls.filter((c) => c.input.want.kind === 'raise');
    expect(new Set(raises.map((c) => c.path))).toEqual(new Set(['service', 'bench']));
  });
});
