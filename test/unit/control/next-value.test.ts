import { describe, expect, it } from 'vitest';
import { nextDeviceValue, recordSent } from '../../../src/domain/control/next-value.js';
import { presenceAtTick } from '../../../src/domain/control/presence.js';
import type { SpacePlan } from '../../../src/domain/planning/types.js';
import type { DeviceRecord } from '../../../src/domain/safety/device-record.js';
import { gymLightsRuntime } from './fakes.js';

/** 12:00 in Shanghai: the gym's schedule has its lights on. */
const NOON = Date.parse('2026-07-15T04:00:00Z');
const MINUTE = 60_000;
const SLOT = 15 * MINUTE;

const rt = gymLightsRuntime({ commissioning: 'passed' });
const ctx = rt.device.ctx;

/** A plan holding the gym's lights at `levelPct` for the next hour. */
function plan(levelPct: number): SpacePlan {
  return {
    spaceId: 'gym',
    createdAtMs: NOON,
    startMs: NOON,
    slotMs: SLOT,
    lighting: [
      {
        deviceId: 'gym-lights',
        kind: 'lighting',
        ratedPowerW: 900,
        slots: Array.from({ length: 4 }, () => ({ levelPct, reason: 'planned' })),
        changes: [],
      },
    ],
    hvac: [],
    hvacMode: null,
    predictedTempC: [],
    comfortMarginK: [],
    hvacEnergyKWh: 0,
    hvacCost: 0,
  };
}

const decide = (record: DeviceRecord, nowMs: number, levelPct = 40, presenceLevelPct?: number) =>
  nextDeviceValue({
    want: {
      kind: 'plan',
      plan: plan(levelPct),
      planId: 'p',
      ...(presenceLevelPct === undefined
        ? {}
        : { presence: { untilMs: nowMs + 5 * MINUTE, levelPct: presenceLevelPct } }),
    },
    state: { record, spaceMode: 'active' },
    ctx,
    setpointId: `s-${nowMs}`,
    nowMs,
  });

describe('nextDeviceValue', () => {
  it("sends the plan's value, held up to the presence level while presence holds", () => {
    const plain = decide(rt.record, NOON);
    expect(plain.verdict).toBe('send');
    expect(plain.decision?.value).toEqual({ kind: 'lighting', levelPct: 40 });
    const held = decide(rt.record, NOON, 40, 90);
    expect(held.decision).toMatchObject({ value: { levelPct: 90 }, reason: 'presence: level held' });
  });

  it('leaves a value in force alone until its lease is due for renewal', () => {
    const first = decide(rt.record, NOON);
    if (first.outcome.action === 'none') throw new Error('nothing decided');
    const record = recordSent(rt.record, first.outcome, NOON);
    expect(decide(record, NOON + MINUTE).verdict).toBe('unchanged');
    const leaseEnd = record.leaseUntilMs ?? 0;
    const late = decide(record, leaseEnd - 30_000);
    expect(late).toMatchObject({ verdict: 'send', renewal: true });
  });

  it('computes but does not send in shadow mode', () => {
    const r = nextDeviceValue({
      want: { kind: 'plan', plan: plan(40), planId: 'p' },
      state: { record: rt.record, spaceMode: 'shadow' },
      ctx,
      setpointId: 's',
      nowMs: NOON,
    });
    expect(r.verdict).toBe('unsent');
  });
});

describe('presenceAtTick', () => {
  const levels = { occupiedLevelPct: 80, safetyMinLevelPct: 10, presenceHoldMinutes: 5 };

  it('extends the hold while occupied; vacancy ends the after-hours spell and lets the hold run out', () => {
    const occupied = presenceAtTick(
      { hold: undefined, occupiedSinceMs: NOON },
      true,
      levels,
      undefined,
      NOON,
    );
    expect(occupied).toEqual({ hold: { untilMs: NOON + 5 * MINUTE, levelPct: 80 }, occupiedSinceMs: NOON });
    const vacant = presenceAtTick(occupied, false, levels, undefined, NOON + MINUTE);
    expect(vacant).toEqual({ hold: occupied.hold, occupiedSinceMs: undefined });
  });

  it('follows daylight where the space uses it', () => {
    const r = presenceAtTick({ hold: undefined, occupiedSinceMs: undefined }, true, levels, 30, NOON);
    expect(r.hold?.levelPct).toBe(50);
  });
});
