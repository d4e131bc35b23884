import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/parse.js';
import type { SensorQuarterDelta } from '../../../src/domain/sensors/types.js';
import type { SetpointAuditEntry } from '../../../src/ports/stores.js';
import { SensorComfortView } from '../../../src/services/reporting/comfort-view.js';
import { MemorySensorStore } from '../../helpers/fakes/memory-sensor-store.js';
import { MemorySetpointAuditStore } from '../../helpers/fakes/memory-setpoint-audit-store.js';
import { MemoryKeyValueStore } from '../../helpers/fakes/memory-small-stores.js';

const Q = 900_000;
const T0 = Date.parse('2026-07-01T02:00:00Z');

function demoConfig() {
  const r = parseConfigText(readFileSync('config/default.yaml', 'utf8'), 'config/default.yaml');
  if (!r.ok) throw new Error('demo config invalid');
  return r.config;
}

function quarter(
  spaceId: string,
  sensorId: string,
  kind: SensorQuarterDelta['kind'],
  startMs: number,
  extra: Partial<SensorQuarterDelta>,
): SensorQuarterDelta {
  return {
    sensorId,
    siteId: 'maple-court',
    spaceId,
    kind,
    startMs,
    valueSum: 0,
    count: 0,
    occupiedMs: 0,
    observedMs: 0,
    ...extra,
  };
}

function lightEntry(
  spaceId: string,
  deviceId: string,
  decidedAtMs: number,
  levelPct: number,
): SetpointAuditEntry {
  return {
    id: `${deviceId}-${decidedAtMs}`,
    siteId: 'maple-court',
    spaceId,
    deviceId,
    kind: 'lighting',
    valueJson: JSON.stringify({ levelPct }),
    reason: 'test',
    mode: 'active',
    inputsJson: '{}',
    decidedAtMs,
    validUntilMs: decidedAtMs + 30 * 60_000,
    planId: 'p',
    publishedAtMs: decidedAtMs,
    acknowledgedAtMs: decidedAtMs,
  };
}

describe('SensorComfortView', () => {
  it('counts K·h outside the band and under-lit hours while occupied only, as the bench does', () => {
    const config = demoConfig();
    const sensors = new MemorySensorStore();
    const audit = new MemorySetpointAuditStore();
    const view = new SensorComfortView({
      sensors,
      audit,
      settings: new MemoryKeyValueStore(),
      config: () => config,
    });
    // Lobby: occupied half of the first quarter, all of the second, empty in the third; 29 °C throughout.
    const occupiedMs = [Q / 2, Q, 0];
    sensors.addQuarters(
      occupiedMs.flatMap((occ, i) => [
        quarter('lobby', 'lobby-occupancy', 'occupancy', T0 + i * Q, {
          occupiedMs: occ,
          observedMs: Q,
          count: 1,
          valueSum: occ > 0 ? 1 : 0,
        }),
        quarter('lobby', 'lobby-temperature', 'indoor-temperature', T0 + i * Q, { valueSum: 58, count: 2 }),
        // The lights at full output give 120 lx at the sensor: 60 lx is 50 % of full output.
        quarter('lobby', 'lobby-illuminance', 'illuminance', T0 + i * Q, {
          valueSum: i === 0 ? 60 : 120,
          count: 1,
        }),
      ]),
    );
    // Corridor (no illuminance sensor): the commanded level in force counts.
    sensors.addQuarters([
      quarter('corridor-b3-f12', 'corridor-b3-f12-occupancy', 'occupancy', T0, {
        occupiedMs: Q,
        observedMs: Q,
        count: 1,
        valueSum: 1,
      }),
    ]);
    audit.record(lightEntry('corridor-b3-f12', 'corridor-b3-f12-lights', T0 - 5 * 60_000, 20));
    const kpis = view.comfort({ fromMs: T0, toMs: T0 + 3 * Q, siteId: 'maple-court' });
    const lobby = kpis.find((k) => k.spaceId === 'lobby');
    const band = config.control.comfort;
    expect(lobby?.occupiedHours).toBeCloseTo(0.375, 12);
    expect(lobby?.discomfortKh).toBeCloseTo((29 - band.comfortHighC) * 0.375, 12);
    // Lobby needs 80 % occupied: the first quarter (50 %) was under-lit, for its occupied eighth of an hour.
    expect(lobby?.underLitOccupiedHours).toBeCloseTo(0.125, 12);
    const corridor = kpis.find((k) => k.spaceId === 'corridor-b3-f12');
    expect(corridor).toMatchObject({ occupiedHours: 0.25, underLitOccupiedHours: 0.25, discomfortKh: 0 });
  });

  it('refuses a range longer than a year', () => {
    const config = demoConfig();
    const view = new SensorComfortView({
      sensors: new MemorySensorStore(),
      audit: new MemorySetpointAuditStore(),
      settings: new MemoryKeyValueStore(),
      config: () => config,
    });
    expect(() => view.comfort({ fromMs: 0, toMs: 400 * 86_400_000 })).toThrow(/at most 366 days/);
  });
});
