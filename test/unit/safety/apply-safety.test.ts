import { describe, expect, it } from 'vitest';
import {
  applySafety,
  type Decision,
  type DeviceRecord,
  initialRecord,
  messagesForOutcome,
  outputTargetOf,
  recordSetpointPublished,
  type SafetyContext,
  shutdownOutcome,
} from '../../../src/domain/safety/index.js';
import type { OutputTarget, SetpointValue } from '../../../src/domain/setpoints/index.js';
import { decodeMessages } from '../../../src/domain/setpoints/index.js';
import { control, ctx } from './fixtures.js';

const NOW = Date.parse('2026-08-03T10:00:00+08:00');
const MIN = 60_000;

function decision(value: SetpointValue, validForMin = 20): Decision {
  return {
    setpointId: 'sp-x',
    planId: 'plan-1',
    value,
    validUntilMs: NOW + validForMin * MIN,
    reason: 'test',
    source: 'plan',
  };
}

function published(value: SetpointValue, atMs: number, leaseMin = 20): DeviceRecord {
  return recordSetpointPublished(
    initialRecord('dev1'),
    { id: 'sp-0', value, validUntilMs: atMs + leaseMin * MIN },
    atMs,
  );
}

function targetOf(c: SafetyContext): OutputTarget {
  const t = outputTargetOf(c);
  if (t === undefined) throw new Error('not controllable');
  return t;
}

function messages(c: SafetyContext, d: Decision | undefined, rec: DeviceRecord, extra: object = {}) {
  const outcome = applySafety(d, { record: rec, ...extra }, c, NOW);
  const target = outputTargetOf(c);
  if (target === undefined) return { outcome, msgs: [] };
  return { outcome, msgs: messagesForOutcome(outcome, target, c, NOW) };
}

describe('applySafety', () => {
  it('never touches life-safety equipment', () => {
    const c = ctx({ kind: 'emergency-lighting' });
    const { outcome, msgs } = messages(c, decision({ kind: 'lighting', levelPct: 0 }), initialRecord('dev1'));
    expect(outcome.action).toBe('none');
    expect(outcome.reasons).toContain('life-safety');
    expect(msgs).toEqual([]);
  });

  it("applies China's public-space rule: cooling >= 26 °C, heating <= 20 °C", () => {
    const c = ctx({ kind: 'hvac' });
    const cool = applySafety(
      decision({ kind: 'hvac', mode: 'cool', setpointC: 22 }),
      { record: initialRecord('dev1') },
      c,
      NOW,
    );
    expect(cool.action === 'setpoint' && cool.value).toEqual({ kind: 'hvac', mode: 'cool', setpointC: 26 });
    expect(cool.reasons).toContain('bounded');
    const heat = applySafety(
      decision({ kind: 'hvac', mode: 'heat', setpointC: 24 }),
      { record: initialRecord('dev1') },
      c,
      NOW,
    );
    expect(heat.action === 'setpoint' && heat.value).toEqual({ kind: 'hvac', mode: 'heat', setpointC: 20 });
  });

  it('keeps the safety minimum in garages, also on the fallback', () => {
    const c = ctx({ kind: 'lighting', schedule: 'corridor-lights' }, { type: 'garage' });
    const out = applySafety(
      decision({ kind: 'lighting', levelPct: 0 }),
      { record: initialRecord('dev1') },
      c,
      NOW,
    );
    expect(out.action === 'setpoint' && out.value).toEqual({ kind: 'lighting', levelPct: 15 });
  });

  it('rate-limits dimming but raises at once', () => {
    const c = ctx({ kind: 'lighting' });
    const rec = published({ kind: 'lighting', levelPct: 100 }, NOW - 2 * MIN);
    const down = applySafety(decision({ kind: 'lighting', levelPct: 10 }), { record: rec }, c, NOW);
    expect(down.action === 'setpoint' && down.value).toEqual({ kind: 'lighting', levelPct: 80 });
    const low = published({ kind: 'lighting', levelPct: 10 }, NOW - 1000);
    const up = applySafety(decision({ kind: 'lighting', levelPct: 100 }), { record: low }, c, NOW);
    expect(up.action === 'setpoint' && up.value).toEqual({ kind: 'lighting', levelPct: 100 });
  });

  it('caps the lease at the configured maximum and refuses expired decisions', () => {
    const c = ctx({ kind: 'lighting' });
    const long = applySafety(
      decision({ kind: 'lighting', levelPct: 50 }, 240),
      { record: initialRecord('dev1') },
      c,
      NOW,
    );
    expect(long.action === 'setpoint' && long.validUntilMs - NOW).toBe(30 * MIN);
    expect(long.reasons).toContain('lease-capped');
    const stale = applySafety(
      decision({ kind: 'lighting', levelPct: 50 }, 0),
      { record: initialRecord('dev1') },
      c,
      NOW,
    );
    expect(stale.action).toBe('none');
  });

  it('holds the HVAC mode for the minimum time, except on release', () => {
    const c = ctx({ kind: 'hvac', output: 'home-assistant', schedule: 'lobby-ac' });
    const rec = published({ kind: 'hvac', mode: 'fan' }, NOW - 3 * MIN);
    const out = applySafety(decision({ kind: 'hvac', mode: 'cool', setpointC: 27 }), { record: rec }, c, NOW);
    expect(out.action === 'setpoint' && out.value).toEqual({ kind: 'hvac', mode: 'fan' });
    expect(out.reasons).toContain('mode-hold');
    const released = messages(c, undefined, rec, { release: { fireAlarm: true, operator: false } });
    expect(released.outcome.action).toBe('fallback');
    expect(decodeMessages(targetOf(c), released.msgs)).toEqual({
      kind: 'hvac',
      mode: 'cool',
      setpointC: 26,
    });
  });

  it('leaves an overridden device alone for the hold time', () => {
    const c = ctx({ kind: 'lighting' });
    const rec = {
      ...published({ kind: 'lighting', levelPct: 50 }, NOW - MIN),
      overrideUntilMs: NOW + MIN,
    };
    expect(messages(c, decision({ kind: 'lighting', levelPct: 20 }), rec).msgs).toEqual([]);
    expect(messages(c, undefined, rec, { release: { fireAlarm: true, operator: false } }).msgs).toEqual([]);
  });

  it('hands back on stale data, on lease expiry and in shadow; clears native retained setpoints', () => {
    const c = ctx({ kind: 'lighting', schedule: 'corridor-lights' });
    const rec = published({ kind: 'lighting', levelPct: 40 }, NOW - 5 * MIN);
    const inputs = [{ id: 'lobby-meter', kind: 'meter' as const, lastSeenMs: NOW - 31 * MIN }];
    const stale = messages(c, decision({ kind: 'lighting', levelPct: 40 }), rec, { inputs });
    expect(stale.outcome.reasons).toContain('stale:lobby-meter');
    expect(stale.msgs).toEqual([
      { topic: 'quietwatt/maple/space1/dev1/set', payload: '', qos: 1, retain: true },
    ]);
    // A motion sensor silent for an hour is not stale (it reports on change only).
    const quiet = [{ id: 'pir', kind: 'occupancy' as const, lastSeenMs: NOW - 60 * MIN }];
    expect(
      messages(c, decision({ kind: 'lighting', levelPct: 40 }), rec, { inputs: quiet }).outcome.action,
    ).toBe('setpoint');

    const expired = published({ kind: 'lighting', levelPct: 40 }, NOW - 40 * MIN);
    expect(messages(c, undefined, expired).outcome.reasons).toContain('lease-expired');
    const shadow = ctx({ kind: 'lighting' }, { control: control({ defaultMode: 'shadow' }) });
    const fresh = messages(shadow, decision({ kind: 'lighting', levelPct: 40 }), initialRecord('dev1'));
    expect(fresh.outcome.action).toBe('setpoint');
    expect(fresh.msgs).toEqual([]);
  });

  it('does not publish for uncommissioned devices when commissioning is required', () => {
    const c = ctx({ kind: 'lighting' }, { control: control({ requireCommissioning: true }) });
    const d = decision({ kind: 'lighting', levelPct: 40 });
    expect(messages(c, d, initialRecord('dev1')).outcome.reasons).toContain('not-commissioned');
    expect(messages(c, { ...d, source: 'commissioning' }, initialRecord('dev1')).msgs).toHaveLength(1);
  });

  it('Tasmota PulseTime: lease + grace where off is safe, disabled where a safety minimum applies', () => {
    const dev = { kind: 'lighting', output: 'tasmota', outputOptions: { tasmotaSafetyTimer: true } };
    const lobby = ctx(dev, { type: 'lobby' });
    const d = decision({ kind: 'lighting', levelPct: 40 }, 20);
    const t = targetOf(lobby);
    expect(decodeMessages(t, messages(lobby, d, initialRecord('dev1')).msgs)).toEqual({
      kind: 'lighting',
      levelPct: 40,
      safetyTimerSeconds: 20 * 60 + 60,
    });
    const corridor = ctx(dev, { type: 'corridor' });
    expect(decodeMessages(t, messages(corridor, d, initialRecord('dev1')).msgs)).toMatchObject({
      safetyTimerSeconds: 0,
    });
  });

  it('on shutdown clears native setpoints and sends presets their fallback', () => {
    const native = ctx({ kind: 'lighting', schedule: 'corridor-lights' });
    const rec = published({ kind: 'lighting', levelPct: 40 }, NOW - MIN);
    expect(shutdownOutcome({ record: rec }, native, NOW).action).toBe('fallback');
    expect(shutdownOutcome({ record: initialRecord('dev1') }, native, NOW).action).toBe('none');
  });
});

describe('HVAC setpoint rate', () => {
  it('moves a setpoint at most the configured K/min within one mode', () => {
    const c = ctx({ kind: 'hvac' });
    const rec = published({ kind: 'hvac', mode: 'cool', setpointC: 26 }, NOW - 2 * MIN);
    const out = applySafety(decision({ kind: 'hvac', mode: 'cool', setpointC: 30 }), { record: rec }, c, NOW);
    expect(out.action === 'setpoint' && out.value).toEqual({ kind: 'hvac', mode: 'cool', setpointC: 27 });
  });
});
