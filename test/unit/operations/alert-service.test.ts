import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import type { Alert, AlertRaise } from '../../../src/domain/alerts/alert.js';
import type { AlertEventKind } from '../../../src/ports/alert-notifier.js';
import { AlertService } from '../../../src/services/operations/alert-service.js';
import { MemoryAlertStore } from '../../helpers/fakes/memory-alert-store.js';
import { captureLogger } from '../../helpers/logger.js';

const stale: AlertRaise = {
  kind: 'stale-meter',
  siteId: 'maple',
  spaceId: 'lobby',
  subject: 'lobby-meter',
  severity: 'warning',
  message: 'meter lobby-meter silent for 45 min',
};

function rig(store = new MemoryAlertStore(), clock = new ManualClock(1_000_000)) {
  const pushed: [AlertEventKind, Alert][] = [];
  const service = new AlertService({
    store,
    clock,
    log: captureLogger(),
    notifier: { notify: (e, a) => pushed.push([e, a]) },
  });
  return { service, store, clock, pushed };
}

describe('AlertService', () => {
  it('opens one alert per key: a re-raise refreshes the message and keeps since', () => {
    const { service, clock, pushed } = rig();
    service.raise(stale);
    clock.advance(60_000);
    service.raise({ ...stale, message: 'meter lobby-meter silent for 46 min' });
    const open = service.alerts({});
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      key: 'stale-meter:maple:lobby:lobby-meter',
      message: 'meter lobby-meter silent for 46 min',
      sinceMs: 1_000_000,
      clearedAtMs: null,
    });
    expect(pushed.map(([e]) => e)).toEqual(['raised']);
  });

  it('logs what a replay of simulated days raises at debug, counts it, and warns again after', () => {
    const log = captureLogger();
    const pushed: AlertEventKind[] = [];
    const service = new AlertService({
      store: new MemoryAlertStore(),
      clock: new ManualClock(1_000_000),
      log,
      notifier: { notify: (e) => pushed.push(e) },
    });
    service.beginReplay();
    service.raise(stale);
    service.raise({ ...stale, subject: 'gym-meter', spaceId: 'gym' });
    service.clear(stale);
    expect(service.endReplay()).toEqual({ raised: 2, open: 1 });
    service.raise({ ...stale, subject: 'hall-meter', spaceId: 'hall' });
    const raised = log.lines.filter((l) => l.msg === 'alert raised').map((l) => l.level);
    expect(raised).toEqual(['debug', 'debug', 'warn']);
    // Stored and pushed as ever: only the log line is quieter.
    expect(pushed).toEqual(['raised', 'raised', 'cleared', 'raised']);
    expect(service.openAlerts()).toHaveLength(2);
    expect(service.endReplay()).toEqual({ raised: 0, open: 2 });
  });

  it('pushes again when the severity rises, not when it falls', () => {
    const { service, pushed } = rig();
    service.raise(stale);
    service.raise({ ...stale, severity: 'critical' });
    service.raise({ ...stale, severity: 'warning' });
    expect(pushed.map(([e, a]) => `${e}:${a.severity}`)).toEqual(['raised:warning', 'raised:critical']);
  });

  it('clears the open alert, records when, and the next raise opens a new one', () => {
    const { service, clock, pushed } = rig();
    service.raise(stale);
    clock.advance(5 * 60_000);
    service.clear(stale);
    service.clear(stale);
    expect(service.alerts({})).toEqual([]);
    const all = service.alerts({ open: false });
    expect(all.map((a) => [a.sinceMs, a.clearedAtMs])).toEqual([[1_000_000, 1_300_000]]);
    clock.advance(60_000);
    service.raise(stale);
    expect(service.alerts({ open: false }).map((a) => a.clearedAtMs)).toEqual([null, 1_300_000]);
    expect(pushed.map(([e]) => e)).toEqual(['raised', 'cleared', 'raised']);
  });

  it('restores open alerts at start: a raise after a restart neither opens a second nor pushes again', () => {
    const store = new MemoryAlertStore();
    const first = rig(store);
    first.service.raise(stale);
    const second = rig(store, new ManualClock(2_000_000));
    second.service.raise(stale);
    expect(second.pushed).toEqual([]);
    expect(second.service.alerts({}).map((a) => a.sinceMs)).toEqual([1_000_000]);
    second.service.clear(stale);
    expect(second.pushed.map(([e]) => e)).toEqual(['cleared']);
  });

  it('never throws when the store cannot be written, and writes the alert once it can', () => {
    const store = new MemoryAlertStore();
    let broken = true;
    const upsert = store.upsert.bind(store);
    store.upsert = (a) => {
      if (broken) throw new Error('SQLITE_READONLY: attempt to write a readonly database');
      upsert(a);
    };
    const { service } = rig(store);
    expect(() => service.raise({ ...stale, kind: 'store-unwritable', severity: 'critical' })).not.toThrow();
    expect(store.openAlerts()).toEqual([]);
    broken = false;
    expect(service.alerts({}).map((a) => a.kind)).toEqual(['store-unwritable']);
  });
});
