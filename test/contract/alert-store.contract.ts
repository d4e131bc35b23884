import { describe, expect, it } from 'vitest';
import { type Alert, alertKey } from '../../src/domain/alerts/alert.js';
import type { AlertStore } from '../../src/ports/operations.js';
import { type StoreFactory, withStore } from './harness.js';

function alert(over: Partial<Alert> & Pick<Alert, 'sinceMs'>): Alert {
  const parts = {
    kind: over.kind ?? 'stale-meter',
    siteId: over.siteId === undefined ? 'maple' : over.siteId,
    spaceId: over.spaceId === undefined ? 'lobby' : over.spaceId,
    subject: 'm1',
  } as const;
  return {
    key: over.key ?? alertKey(parts),
    kind: parts.kind,
    siteId: parts.siteId,
    spaceId: parts.spaceId,
    severity: over.severity ?? 'warning',
    message: over.message ?? 'meter m1 silent for 45 min',
    sinceMs: over.sinceMs,
    clearedAtMs: over.clearedAtMs ?? null,
  };
}

export function alertStoreContract(name: string, factory: StoreFactory<AlertStore>): void {
  const test = (title: string, body: (s: AlertStore) => void) => it(title, withStore(factory, body));

  describe(`AlertStore contract: ${name}`, () => {
    test('has no alerts at first', (s) => {
      expect(s.openAlerts()).toEqual([]);
      expect(s.alerts({})).toEqual([]);
    });

    test('an upsert of the same occurrence updates it instead of adding a second', (s) => {
      s.upsert(alert({ sinceMs: 1000 }));
      s.upsert(alert({ sinceMs: 1000, message: 'meter m1 silent for 60 min', severity: 'critical' }));
      expect(s.openAlerts()).toEqual([
        alert({ sinceMs: 1000, message: 'meter m1 silent for 60 min', severity: 'critical' }),
      ]);
    });

    test('a cleared alert leaves the open list and can be read back with open: false', (s) => {
      s.upsert(alert({ sinceMs: 1000 }));
      s.upsert(alert({ sinceMs: 1000, clearedAtMs: 5000 }));
      s.upsert(alert({ sinceMs: 9000 }));
      expect(s.openAlerts().map((a) => a.sinceMs)).toEqual([9000]);
      expect(s.alerts({}).map((a) => a.sinceMs)).toEqual([9000]);
      expect(s.alerts({ open: false, sinceMs: 0 }).map((a) => [a.sinceMs, a.clearedAtMs])).toEqual([
        [9000, null],
        [1000, 5000],
      ]);
      expect(s.alerts({ open: false, sinceMs: 6000 }).map((a) => a.sinceMs)).toEqual([9000]);
    });

    test('filters by site, space and kind, newest first, within the limit', (s) => {
      s.upsert(alert({ sinceMs: 1, siteId: 'maple', spaceId: 'lobby' }));
      s.upsert(alert({ sinceMs: 2, siteId: 'maple', spaceId: 'garage' }));
      s.upsert(alert({ sinceMs: 3, siteId: 'oak', spaceId: 'lobby' }));
      s.upsert(
        alert({ sinceMs: 4, siteId: null, spaceId: null, kind: 'config-refused', severity: 'critical' }),
      );
      expect(s.alerts({ siteId: 'maple' }).map((a) => a.sinceMs)).toEqual([2, 1]);
      expect(s.alerts({ spaceId: 'lobby' }).map((a) => a.sinceMs)).toEqual([3, 1]);
      expect(s.alerts({ kind: 'config-refused' })).toEqual([
        alert({ sinceMs: 4, siteId: null, spaceId: null, kind: 'config-refused', severity: 'critical' }),
      ]);
      expect(s.alerts({ limit: 2 }).map((a) => a.sinceMs)).toEqual([4, 3]);
    });
  });
}
