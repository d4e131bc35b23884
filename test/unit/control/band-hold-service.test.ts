import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { type AlertRaise, alertKey } from '../../../src/domain/alerts/alert.js';
import type { AlertSink } from '../../../src/ports/operations.js';
import { ControlService } from '../../../src/services/control/control-service.js';
import { MemoryKeyValueStore, MemorySetpointAuditStore } from '../../helpers/fakes/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { FakeBus, FakeSensors, hvacLobbyConfig, MINUTE, START_MS, settle } from './fakes.js';

class Alerts implements AlertSink {
  readonly open = new Map<string, AlertRaise>();
  readonly cleared: string[] = [];
  raise(a: AlertRaise): void {
    this.open.set(alertKey(a), a);
  }
  clear(a: Pick<AlertRaise, 'kind' | 'siteId' | 'spaceId' | 'subject'>): void {
    const key = alertKey(a);
    if (this.open.delete(key)) this.cleared.push(key);
  }
}

const KEY = 'comfort-risk:site:lobby:band-hold';
let service: ControlService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

describe('control service: comfort band not held at the limit', () => {
  it('raises an alert after 30 min occupied above the band at 26 °C, and clears it when the room cools', async () => {
    // A lobby cooled by its schedule to 24 °C from 07:00 to 22:00, under the default 26 °C limit.
    const config = hvacLobbyConfig();
    const clock = new ManualClock(START_MS); // 12:00 in Shanghai
    const scheduler = new SimulatedScheduler(clock);
    const sensors = new FakeSensors();
    const alerts = new Alerts();
    const audit = new MemorySetpointAuditStore();
    const temp = (value: number) =>
      sensors.values.set('site/lobby/indoor-temperature', {
        sensorId: 'lobby-temp',
        value,
        tsMs: clock.now(),
        stale: false,
      });
    service = new ControlService({
      bus: new FakeBus(clock),
      clock,
      scheduler,
      log: captureLogger(),
      audit,
      settings: new MemoryKeyValueStore(),
      setup: {
        sites: config.sites,
        schedules: config.schedules,
        control: config.control,
        prefix: 'quietwatt',
      },
      sensors,
      meters: { meter: () => ({ lastReadingTsMs: clock.now(), accepted: 1 }) },
      alerts,
    });
    const advance = async (ms: number) => {
      await scheduler.advanceTo(clock.now() + ms);
      await settle();
    };
    sensors.emit('site', 'lobby', true, clock.now());
    temp(28.6);
    await service.start();
    await settle();
    // The unit is commanded at the limit: the schedule's 24 °C clamped to 26 °C.
    const sent = audit.latestForDevice('site', 'lobby', 'lobby-ac');
    expect(sent?.publishedAtMs).not.toBeNull();
    expect(JSON.parse(sent?.valueJson ?? '{}')).toMatchObject({ mode: 'cool', setpointC: 26 });

    for (let m = 0; m < 25; m += 5) {
      await advance(5 * MINUTE);
      temp(28.6);
    }
    expect(alerts.open.has(KEY)).toBe(false); // 25 min: not yet
    for (let m = 25; m < 35; m += 5) {
      await advance(5 * MINUTE);
      temp(28.6);
    }
    const alert = alerts.open.get(KEY);
    expect(alert).toMatchObject({
      kind: 'comfort-risk',
      siteId: 'site',
      spaceId: 'lobby',
      severity: 'warning',
    });
    expect(alert?.message).toContain('site/lobby has been above its comfort band (18 °C-28 °C)');
    expect(alert?.message).toContain('since 12:0');
    expect(alert?.message).toContain('at its 26 °C setpoint limit');
    expect(alert?.message).toContain('reason: capacity');

    temp(27.6);
    await advance(MINUTE);
    expect(alerts.open.has(KEY)).toBe(false);
    expect(alerts.cleared).toEqual([KEY]);
  });
});
