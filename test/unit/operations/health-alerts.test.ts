import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { AlertService } from '../../../src/services/operations/alert-service.js';
import { HealthAlerts } from '../../../src/services/operations/health-alerts.js';
import { ReloadStatus } from '../../../src/services/operations/reload-status.js';
import { MemoryAlertStore } from '../../helpers/fakes/memory-alert-store.js';
import { captureLogger } from '../../helpers/logger.js';
import { MINUTE, START_MS, testConfig } from '../control/fakes.js';

function setup(store = new MemoryAlertStore(), clock = new ManualClock(START_MS)) {
  const config = testConfig();
  const scheduler = new SimulatedScheduler(clock);
  const log = captureLogger();
  const alerts = new AlertService({ store, clock, log });
  const lastReading = new Map<string, number>();
  const probe = { fail: undefined as string | undefined };
  const health = new HealthAlerts({
    clock,
    scheduler,
    log,
    alerts,
    config: () => ({ sites: config.sites, staleAfterMinutes: config.control.staleAfterMinutes }),
    meters: { meter: (id) => ({ lastReadingTsMs: lastReading.get(id) ?? null, accepted: 0 }) },
    sensors: {
      freshness: () => [
        { id: 'lobby-motion', siteId: 'site', spaceId: 'lobby', kind: 'occupancy', staleAfterMinutes: 60 },
      ],
    },
    probeStore: () => {
      if (probe.fail) throw new Error(probe.fail);
    },
  });
  return { clock, scheduler, alerts, health, lastReading, probe, store };
}

describe('HealthAlerts', () => {
  it('raises a stale-meter alert past the threshold, counted from the start, and clears it on a reading', async () => {
    const h = setup();
    await h.health.start();
    h.lastReading.set('garage-meter', START_MS);
    await h.scheduler.advanceTo(START_MS + 30 * MINUTE);
    h.lastReading.set('garage-meter', START_MS + 30 * MINUTE);
    expect(h.alerts.alerts({ kind: 'stale-meter' }).map((a) => a.key)).toEqual([]);
    await h.scheduler.advanceTo(START_MS + 32 * MINUTE);
    const stale = h.alerts.alerts({ kind: 'stale-meter' });
    expect(stale.map((a) => a.key)).toEqual(['stale-meter:site:lobby:lobby-meter']);
    expect(stale[0]?.message).toMatch(/^meter lobby-meter silent for 32 min \(no reading since the start\)/);
    h.lastReading.set('lobby-meter', START_MS + 33 * MINUTE);
    await h.scheduler.advanceTo(START_MS + 33 * MINUTE);
    expect(h.alerts.alerts({ kind: 'stale-meter' })).toEqual([]);
    await h.health.stop();
  });

  it('raises stale sensors past their own threshold', async () => {
    const h = setup();
    await h.health.start();
    await h.scheduler.advanceTo(START_MS + 61 * MINUTE);
    expect(h.alerts.alerts({ kind: 'stale-sensor' }).map((a) => a.key)).toEqual([
      'stale-sensor:site:lobby:lobby-motion',
    ]);
    await h.health.stop();
  });

  it('raises a critical alert while the store cannot be written, and clears it after a restart once it can', async () => {
    const h = setup();
    await h.health.start();
    h.probe.fail = 'SQLITE_FULL: database or disk is full';
    h.health.check();
    expect(h.alerts.alerts({ kind: 'store-unwritable' })).toEqual([
      expect.objectContaining({ severity: 'critical', message: expect.stringMatching(/disk is full/) }),
    ]);
    const again = setup(h.store, h.clock);
    again.health.check();
    expect(again.alerts.alerts({ kind: 'store-unwritable' })).toEqual([]);
  });
});

describe('ReloadStatus', () => {
  it('keeps the last refused reload with its errors and raises an alert until a change is accepted', () => {
    const clock = new ManualClock(START_MS);
    const alerts = new AlertService({ store: new MemoryAlertStore(), clock, log: captureLogger() });
    const reloads = new ReloadStatus('site.yaml', clock, alerts);
    expect(reloads.lastRefusedReload()).toBeUndefined();
    reloads.refused([
      { code: 'QW_CONFIG_INVALID', message: 'site.yaml: sites[0].timezone: "Mars/Base" is not a time zone' },
    ]);
    expect(reloads.lastRefusedReload()).toEqual({
      atMs: START_MS,
      file: 'site.yaml',
      errors: [
        {
          code: 'QW_CONFIG_INVALID',
          message: 'site.yaml: sites[0].timezone: "Mars/Base" is not a time zone',
        },
      ],
    });
    expect(alerts.alerts({ kind: 'config-refused' })[0]?.message).toMatch(/Mars\/Base/);
    reloads.accepted();
    expect(alerts.alerts({ kind: 'config-refused' })).toEqual([]);
    expect(reloads.lastRefusedReload()?.atMs).toBe(START_MS);
  });

  it('a reload that left some services on the new config says so, critically', () => {
    const clock = new ManualClock(START_MS);
    const alerts = new AlertService({ store: new MemoryAlertStore(), clock, log: captureLogger() });
    const reloads = new ReloadStatus('site.yaml', clock, alerts);
    reloads.refused(
      [{ code: 'QW_CONFIG_RELOAD_FAILED', message: 'control could not take the change' }],
      'mixed',
    );
    const [alert] = alerts.alerts({ kind: 'config-refused' });
    expect(alert?.severity).toBe('critical');
    expect(alert?.message).toMatch(/some services run the new config: restart the service/);
    expect(alert?.message).not.toMatch(/running config stays/);
  });
});
