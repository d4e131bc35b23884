import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../src/adapters/scheduler/simulated-scheduler.js';
import { outputTargetOf } from '../../src/domain/safety/context.js';
import { StateReport } from '../../src/domain/setpoints/contract.js';
import { buildNativeMessage, makeSetpointPayload } from '../../src/domain/setpoints/native.js';
import { CommunitySimulator } from '../../src/sim/community-simulator.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { captureLogger } from '../helpers/logger.js';
import { payloadText, testBus, waitFor } from '../helpers/mqtt.js';
import { contextOf, controllersConfig } from '../unit/sim/controllers-fixture.js';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
});

const bus = (clientId: string) => testBus(broker.url, clientId);
const text = payloadText;

describe('simulated controllers over a real broker', () => {
  it('obey a retained native setpoint, acknowledge it in a state report, and fall back when it is cleared', async () => {
    const { prefix, clientId } = broker.unique('simctl');
    const config = controllersConfig({ burnInHours: 0 }, prefix);
    const ctx = contextOf(config, 'native-light');
    const target = outputTargetOf(ctx);
    if (!target) throw new Error('no target');
    const service = bus(`${clientId}-svc`);
    const simBus = bus(`${clientId}-sim`);
    await service.start();
    await simBus.start();
    const reports: StateReport[] = [];
    await service.subscribe([`${prefix}/site/gym/native-light/state`], (m) =>
      reports.push(StateReport.parse(JSON.parse(text(m)))),
    );

    const start = Date.UTC(2026, 6, 6, 2); // 10:00 in Shanghai: the schedule says 100 %
    const clock = new ManualClock(start);
    const scheduler = new SimulatedScheduler(clock);
    const sim = new CommunitySimulator({ config, clock, scheduler, bus: simBus, log: captureLogger() });
    await sim.start();
    await scheduler.advanceTo(start + 60_000);
    await waitFor(
      () => reports.some((r) => r.appliedSetpointId === null),
      () => `${reports.length} reports`,
    );
    expect(reports.at(-1)?.value).toEqual({ levelPct: 100 });

    const payload = makeSetpointPayload(
      { kind: 'lighting', levelPct: 35 },
      {
        id: 'sp-mqtt-1',
        address: target.address,
        issuedAtMs: start + 60_000,
        validUntilMs: start + 31 * 60_000,
        planId: 'plan-mqtt',
        reason: 'test',
      },
    );
    const m = buildNativeMessage(target, payload, start + 60_000);
    await service.publish(m.topic, m.payload, { qos: 1, retain: true });
    const controllers = sim.simulatedControllers();
    await waitFor(
      () => controllers?.controllerState('native-light')?.native?.id === 'sp-mqtt-1',
      () => 'setpoint not received',
    );
    await scheduler.advanceTo(start + 3 * 60_000);
    await waitFor(
      () => reports.some((r) => r.appliedSetpointId === 'sp-mqtt-1'),
      () => `reports: ${JSON.stringify(reports)}`,
    );
    expect(reports.find((r) => r.appliedSetpointId === 'sp-mqtt-1')?.value).toEqual({ levelPct: 35 });

    await service.publish(m.topic, '', { qos: 1, retain: true });
    await waitFor(
      () => controllers?.controllerState('native-light')?.native === undefined,
      () => 'clear not received',
    );
    await scheduler.advanceTo(start + 5 * 60_000);
    await waitFor(
      () => reports.at(-1)?.appliedSetpointId === null && reports.length >= 3,
      () => `reports: ${JSON.stringify(reports)}`,
    );
    expect(reports.at(-1)?.value).toEqual({ levelPct: 100 });

    await sim.stop();
    await scheduler.stop();
    await simBus.stop();
    await service.stop();
    expect(controllers?.stats().rejected).toBe(0);
  }, 30_000);
});
