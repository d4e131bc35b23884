import { describe, expect, it } from 'vitest';
import { QuietWattConfig } from '../../../src/config/schema/index.js';
import { initialRecord } from '../../../src/domain/safety/device-record.js';
import type { SetpointAuditEntry } from '../../../src/ports/stores.js';
import { parseValueJson, restoreRecord } from '../../../src/services/control/audit.js';
import { catalogue } from '../../../src/services/control/catalogue.js';
import {
  parseCommissionCommand,
  parseReleaseCommand,
  releaseCommandPayload,
} from '../../../src/services/control/commands.js';
import { evaluateCheck, type PendingCheck } from '../../../src/services/control/commissioning.js';
import {
  forecastSlots,
  occupancyForecast,
  schedulePrior,
} from '../../../src/services/control/plan-builder.js';
import { MemorySetpointAuditStore } from '../../helpers/fakes/index.js';
import { MINUTE, START_MS, testConfig } from './fakes.js';

describe('release command payloads', () => {
  it('reads JSON and plain words; unreadable stays undefined', () => {
    expect(parseReleaseCommand(releaseCommandPayload(true, START_MS, 'cli'))).toBe(true);
    expect(parseReleaseCommand(releaseCommandPayload(false, START_MS, 'cli'))).toBe(false);
    expect(parseReleaseCommand('release')).toBe(true);
    expect(parseReleaseCommand(' ON ')).toBe(true);
    expect(parseReleaseCommand('resume')).toBe(false);
    expect(parseReleaseCommand('')).toBe(false);
    expect(parseReleaseCommand('maybe')).toBeUndefined();
    expect(parseReleaseCommand('{"release":"yes"}')).toBeUndefined();
    expect(parseReleaseCommand('{"release":true,"extra":1}')).toBeUndefined();
  });

  it('reads commission requests', () => {
    expect(parseCommissionCommand('')).toEqual({});
    expect(parseCommissionCommand('{"device":"lobby-lights"}')).toEqual({ device: 'lobby-lights' });
    expect(parseCommissionCommand('{"device":""}')).toBeUndefined();
    expect(parseCommissionCommand('nope')).toBeUndefined();
  });
});

describe('commissioning check', () => {
  const pending = (stateSeen: boolean, baseline: [string, number][]): PendingCheck => ({
    setpointId: 'sp-1',
    sentAtMs: START_MS,
    meterBaseline: new Map(baseline),
    stateSeen,
    waiters: [],
  });
  const meters = (accepted: number) => ({ meter: () => ({ lastReadingTsMs: START_MS, accepted }) });

  it('passes on a state report and a meter reading after the command', () => {
    expect(evaluateCheck(pending(true, [['m', 3]]), meters(4), START_MS + MINUTE, 5 * MINUTE)).toMatchObject({
      passed: true,
      meter: 'responded',
      setpointId: 'sp-1',
    });
  });

  it('waits while something is missing, then fails naming it', () => {
    expect(
      evaluateCheck(pending(true, [['m', 3]]), meters(3), START_MS + MINUTE, 5 * MINUTE),
    ).toBeUndefined();
    expect(
      evaluateCheck(pending(false, [['m', 3]]), meters(9), START_MS + 5 * MINUTE, 5 * MINUTE),
    ).toMatchObject({
      passed: false,
      detail: 'no state report within 300 s',
    });
    expect(
      evaluateCheck(pending(true, [['m', 3]]), meters(3), START_MS + 6 * MINUTE, 5 * MINUTE),
    ).toMatchObject({
      passed: false,
      meter: 'silent',
    });
  });

  it('without a meter, the state report suffices and says so', () => {
    expect(evaluateCheck(pending(true, []), undefined, START_MS, 5 * MINUTE)).toMatchObject({
      passed: true,
      meter: 'no-meter',
    });
  });
});

describe('occupancy forecast', () => {
  it('is 0.5 on a cold start and follows the weekly history', () => {
    expect(new Set(occupancyForecast([], START_MS, 'Asia/Shanghai'))).toEqual(new Set([0.5]));
    // Four past weeks: occupied in the slot at START_MS, empty in the next one.
    const week = 7 * 86_400_000;
    const history = [1, 2, 3, 4].flatMap((k) => [
      { startMs: START_MS - k * week, fraction: 1, observed: 1 },
      { startMs: START_MS - k * week + 15 * MINUTE, fraction: 0, observed: 1 },
    ]);
    const p = occupancyForecast(history, START_MS, 'Asia/Shanghai');
    expect(p[0]).toBeCloseTo(4.5 / 5);
    expect(p[1]).toBeCloseTo(0.5 / 5);
    expect(p[2]).toBe(0.5);
  });
});

describe('cold-start occupancy from the schedules', () => {
  it('expects nobody where the schedule has everything off', () => {
    const config = QuietWattConfig.parse({
      schedules: [
        {
          id: 'gym-lighting',
          kind: 'lighting',
          defaultLevelPct: 0,
          blocks: [{ from: '06:00', to: '22:00', levelPct: 100 }],
        },
      ],
      sites: [
        {
          id: 'site',
          name: 'Site',
          timezone: 'Asia/Shanghai',
          spaces: [
            {
              id: 'gym',
              type: 'gym',
              areaM2: 100,
              devices: [{ id: 'gym-lights', kind: 'lighting', schedule: 'gym-lighting', ratedPowerW: 500 }],
            },
          ],
        },
      ],
    });
    const setup = { ...config, prefix: 'quietwatt' };
    const space = catalogue(setup)[0];
    if (!space) throw new Error('no space');
    // 21:00 Shanghai: four slots open, then closed until 06:00.
    const start = Date.parse('2026-07-15T13:00:00Z');
    const p = schedulePrior(space, setup, start);
    expect(p.slice(0, 4)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(p[4]).toBe(0.02);
    expect(p[35]).toBe(0.02);
    expect(p[36]).toBe(0.5);
  });
});

describe('hourly forecasts on the slot grid', () => {
  it('spreads hours onto slots; slots before the forecast or null hours take the fallback', () => {
    const fallback = new Array<number>(96).fill(0.5);
    const f = { tsMs: [START_MS + 3_600_000, START_MS + 7_200_000], values: [0.9, null] };
    const slots = forecastSlots(f, START_MS, fallback);
    expect(slots.slice(0, 4)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(slots.slice(4, 8)).toEqual([0.9, 0.9, 0.9, 0.9]);
    expect(slots[8]).toBe(0.5);
    expect(forecastSlots(undefined, START_MS, fallback)).toEqual(fallback);
  });
});

describe('restoring a device from the audit log', () => {
  const device = () => {
    const d = catalogue({ ...testConfig(), prefix: 'quietwatt' })[0]?.devices[0];
    if (!d) throw new Error('no device');
    return d;
  };
  const entry = (over: Partial<SetpointAuditEntry>): SetpointAuditEntry => ({
    id: 'a',
    siteId: 'site',
    spaceId: 'lobby',
    deviceId: 'lobby-lights',
    kind: 'lighting',
    valueJson: '{"kind":"lighting","levelPct":60}',
    reason: 'r',
    mode: 'active',
    inputsJson: '{}',
    decidedAtMs: START_MS,
    validUntilMs: START_MS + 30 * MINUTE,
    planId: 'plan-x',
    publishedAtMs: START_MS,
    acknowledgedAtMs: null,
    ...over,
  });

  it('continues from the last published setpoint, skipping later unpublished decisions', () => {
    const audit = new MemorySetpointAuditStore();
    audit.record(entry({}));
    audit.record(entry({ id: 'b', decidedAtMs: START_MS + MINUTE, publishedAtMs: null, mode: 'shadow' }));
    const rec = restoreRecord(device(), audit, { passed: true, atMs: START_MS });
    expect(rec).toMatchObject({
      lastSetpointId: 'a',
      leaseUntilMs: START_MS + 30 * MINUTE,
      handedBack: false,
      commissioning: 'passed',
      lastValue: { kind: 'lighting', levelPct: 60 },
    });
  });

  it('a hand-back restores as handed back; nothing stored is the initial record', () => {
    const audit = new MemorySetpointAuditStore();
    expect(restoreRecord(device(), audit, undefined)).toEqual(initialRecord('lobby-lights'));
    audit.record(entry({ planId: 'handback', validUntilMs: START_MS }));
    expect(restoreRecord(device(), audit, undefined)).toMatchObject({
      handedBack: true,
      lastValue: { levelPct: 60 },
    });
  });

  it('reads only valid stored values', () => {
    expect(parseValueJson('{"kind":"hvac","mode":"cool","setpointC":26}')).toEqual({
      kind: 'hvac',
      mode: 'cool',
      setpointC: 26,
    });
    expect(parseValueJson('{"kind":"lighting","levelPct":130}')).toBeUndefined();
    expect(parseValueJson('not json')).toBeUndefined();
  });
});

describe('catalogue', () => {
  it('lists controllable devices only, with state topics per format', () => {
    const spaces = catalogue({ ...testConfig(), prefix: 'quietwatt' });
    const devices = spaces.flatMap((s) => s.devices);
    expect(devices.map((d) => d.deviceId)).toEqual(['lobby-lights', 'garage-z2m']);
    expect(devices.map((d) => d.stateTopic)).toEqual([
      'quietwatt/site/lobby/lobby-lights/state',
      'zigbee2mqtt/garage-z2m',
    ]);
    expect(devices[0]?.meterIds).toEqual(['lobby-meter']);
  });
});
