import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/domain/alerts/alert.js';
import type { LedgerRow, SetpointAuditEntry } from '../../../src/ports/stores.js';
import { StoreStateSources } from '../../../src/services/integrations/home-assistant/state-sources.js';
import {
  MemoryIntervalStore,
  MemorySavingsLedgerStore,
  MemorySetpointAuditStore,
} from '../../helpers/fakes/index.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-07-06T02:00:00Z');

const space = {
  id: 'lobby',
  type: 'lobby' as const,
  areaM2: 100,
  meters: [],
  sensors: [],
  devices: [
    { id: 'lights', kind: 'lighting' as const },
    { id: 'ac', kind: 'hvac' as const },
    { id: 'exit-signs', kind: 'emergency-lighting' as const },
  ],
} as unknown as Parameters<StoreStateSources['spaceState']>[1];

function ledgerRow(
  method: string,
  hourStartMs: number,
  endUse: LedgerRow['endUse'],
  avoidedKWh: number,
): LedgerRow {
  return {
    hourStartMs,
    siteId: 'site',
    spaceId: 'lobby',
    endUse,
    baselineKWh: 10,
    measuredKWh: 10 - avoidedKWh,
    avoidedKWh,
    cost: 0,
    currency: 'CNY',
    co2Kg: 0,
    kind: 'measured',
    method,
    baselineVersion: 'v1',
  };
}

function audit(id: string, deviceId: string, valueJson: string): SetpointAuditEntry {
  return {
    id,
    siteId: 'site',
    spaceId: 'lobby',
    deviceId,
    kind: 'lighting',
    valueJson,
    reason: 'test',
    mode: 'active',
    inputsJson: '{}',
    decidedAtMs: NOW - 60_000,
    validUntilMs: NOW + 600_000,
    planId: 'p1',
    publishedAtMs: NOW - 60_000,
    acknowledgedAtMs: null,
  };
}

function alert(siteId: string, spaceId: string | null, message: string): Alert {
  return {
    key: `k:${message}`,
    kind: 'stale-meter',
    siteId,
    spaceId,
    severity: 'warning',
    message,
    sinceMs: NOW - HOUR,
    clearedAtMs: null,
  };
}

function sources(
  status: { deviceId: string; handedBack: boolean; lastSetpointId?: string; leaseUntilMs?: number }[],
) {
  const ledger = new MemorySavingsLedgerStore();
  const auditStore = new MemorySetpointAuditStore();
  auditStore.record(audit('sp-1', 'lights', '{"kind":"lighting","levelPct":40}'));
  auditStore.record(audit('sp-2', 'ac', '{"kind":"hvac","mode":"cool","setpointC":26}'));
  let statusReads = 0;
  const s = new StoreStateSources({
    intervals: new MemoryIntervalStore(),
    ledger,
    audit: auditStore,
    alerts: {
      alerts: () => [
        alert('site', 'lobby', 'meter m1 silent'),
        alert('site', 'gym', 'other space'),
        alert('site', null, 'site-wide'),
      ],
    },
    modeOf: () => 'active',
    control: {
      status: () => {
        statusReads++;
        return status.map((d) => ({ siteId: 'site', spaceId: 'lobby', ...d }));
      },
      releaseState: () => ({ operator: false, fireAlarm: true }),
    },
  });
  return { s, ledger, statusReads: () => statusReads };
}

describe('Home Assistant state sources', () => {
  it('shows setpoints whose lease runs, nothing for a device handed back, and the space alerts', () => {
    const { s, statusReads } = sources([
      { deviceId: 'lights', handedBack: false, lastSetpointId: 'sp-1', leaseUntilMs: NOW + 600_000 },
      { deviceId: 'ac', handedBack: true },
    ]);
    const state = s.spaceState('site', space, NOW);
    expect(state.devices).toEqual([
      { id: 'lights', kind: 'lighting', value: { kind: 'lighting', levelPct: 40 } },
      { id: 'ac', kind: 'hvac' },
    ]);
    expect(state.alerts).toEqual(['meter m1 silent']);
    expect(state.energyKWh).toBeUndefined();
    expect(state.savedKWh).toBeUndefined();
    s.spaceState('site', { ...space, id: 'gym' } as typeof space, NOW);
    expect(statusReads()).toBe(1);
    expect(s.released()).toBe(true);
  });

  it('treats an expired lease as no setpoint', () => {
    const { s } = sources([{ deviceId: 'ac', handedBack: false, lastSetpointId: 'sp-2', leaseUntilMs: NOW }]);
    expect(s.spaceState('site', space, NOW).devices[1]).toEqual({ id: 'ac', kind: 'hvac' });
  });

  it('takes measured savings by the method covering more hours, a total end use for the space', () => {
    const { s, ledger } = sources([]);
    ledger.upsertLedger([
      ledgerRow('randomized', NOW - 2 * HOUR, 'lighting', 1),
      ledgerRow('baseline', NOW - 3 * HOUR, 'total', 2),
      ledgerRow('baseline', NOW - 2 * HOUR, 'total', -0.5),
      ledgerRow('baseline', NOW - 2 * HOUR, 'lighting', 7),
    ]);
    expect(s.spaceState('site', space, NOW).savedKWh).toBeCloseTo(1.5);
  });
});
