import { describe, expect, it } from 'vitest';
import type { ControlMode, SetpointAuditEntry, SetpointAuditStore } from '../../src/ports/stores.js';
import { type StoreFactory, withStore } from './harness.js';

const entry = (
  id: string,
  decidedAtMs: number,
  extra: Partial<SetpointAuditEntry> = {},
): SetpointAuditEntry => ({
  id,
  siteId: 's1',
  spaceId: 'lobby',
  deviceId: 'lights-1',
  kind: 'lighting',
  valueJson: '{"levelPct":40}',
  reason: 'low occupancy forecast',
  mode: 'active',
  inputsJson: '{"occupancy":0.1}',
  decidedAtMs,
  validUntilMs: decidedAtMs + 1_800_000,
  planId: 'plan-1',
  publishedAtMs: null,
  acknowledgedAtMs: null,
  ...extra,
});

export function setpointAuditStoreContract(name: string, factory: StoreFactory<SetpointAuditStore>): void {
  const test = (title: string, body: (s: SetpointAuditStore) => void) => it(title, withStore(factory, body));

  describe(`SetpointAuditStore contract: ${name}`, () => {
    test('records an entry and returns it unchanged', (s) => {
      const e = entry('sp-1', 1000, { mode: 'shadow', publishedAtMs: 1001 });
      s.record(e);
      expect(s.get('sp-1')).toStrictEqual(e);
      expect(s.get('nope')).toBeUndefined();
    });

    test('refuses a second entry with the same id', (s) => {
      s.record(entry('sp-1', 1000));
      expect(() => s.record(entry('sp-1', 2000))).toThrow();
      expect(s.get('sp-1')?.decidedAtMs).toBe(1000);
    });

    test('refuses an unknown mode', (s) => {
      expect(() => s.record(entry('sp-1', 1000, { mode: 'manual' as ControlMode }))).toThrow();
      expect(s.get('sp-1')).toBeUndefined();
    });

    test('marks published and acknowledged once: the first time counts', (s) => {
      s.record(entry('sp-1', 1000));
      expect(s.markPublished('sp-1', 1100)).toBe(true);
      expect(s.markPublished('sp-1', 1200)).toBe(true);
      expect(s.markAcknowledged('sp-1', 1300)).toBe(true);
      expect(s.markAcknowledged('sp-1', 1400)).toBe(true);
      expect(s.get('sp-1')).toMatchObject({ publishedAtMs: 1100, acknowledgedAtMs: 1300 });
    });

    test('says false when marking an unknown id', (s) => {
      expect(s.markPublished('ghost', 1)).toBe(false);
      expect(s.markAcknowledged('ghost', 1)).toBe(false);
    });

    test('queries by space, device and a half-open decision-time range, in time order', (s) => {
      s.record(entry('c', 3000));
      s.record(entry('a', 1000));
      s.record(entry('b', 2000, { spaceId: 'garage', deviceId: 'fan-1', kind: 'hvac' }));
      s.record(entry('a2', 1000));
      expect(s.query({ fromMs: 0, toMs: 10_000 }).map((e) => e.id)).toEqual(['a', 'a2', 'b', 'c']);
      expect(s.query({ spaceId: 'lobby', fromMs: 1000, toMs: 3000 }).map((e) => e.id)).toEqual(['a', 'a2']);
      expect(s.query({ spaceId: 'garage', fromMs: 0, toMs: 10_000 }).map((e) => e.id)).toEqual(['b']);
      expect(s.query({ deviceId: 'lights-1', fromMs: 0, toMs: 10_000, limit: 2 }).map((e) => e.id)).toEqual([
        'a',
        'a2',
      ]);
      expect(s.query({ siteId: 's2', fromMs: 0, toMs: 10_000 })).toEqual([]);
    });

    test('finds the latest decision per device', (s) => {
      s.record(entry('old', 1000));
      s.record(entry('new', 5000));
      s.record(entry('other-device', 9000, { deviceId: 'lights-2' }));
      expect(s.latestForDevice('s1', 'lobby', 'lights-1')?.id).toBe('new');
      expect(s.latestForDevice('s1', 'lobby', 'lights-3')).toBeUndefined();
    });
  });
}
