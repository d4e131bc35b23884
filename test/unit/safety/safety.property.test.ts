import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpaceMode } from '../../../src/domain/control/space-mode.js';
import { SPACE_TYPE_LIGHTING_DEFAULTS } from '../../../src/domain/control/space-type-rules.js';
import {
  applySafety,
  type DeviceRecord,
  initialRecord,
  messagesForOutcome,
  outputTargetOf,
  recordCommissioning,
  recordHandedBack,
  recordSetpointPublished,
  recordStateReport,
  type SafetyContext,
  type SafetyOutcome,
  shutdownOutcome,
} from '../../../src/domain/safety/index.js';
import {
  type DecodedCommand,
  decodeMessages,
  type EncodedMessage,
  type OutputTarget,
  SetpointPayload,
} from '../../../src/domain/setpoints/index.js';
import { type SimEvent, safetyContext, simEvent, startMs } from './arbitraries.js';

const EPS = 1e-9;
/** Paths that produced messages, to show the generators reach every one. */
const PATHS = new Set<string>();

/** Levels a device can show, computed here from the format, independently of the code under test. */
function representableLevels(t: OutputTarget): number[] {
  const o = t.options;
  let units: number;
  if (t.output === 'zigbee2mqtt') units = 254;
  else if (t.output === 'tasmota') units = o.tasmotaChannel === 'relay' ? 1 : 100;
  else if (t.output === 'home-assistant') units = o.haBrightnessScale;
  else units = Math.round(100 / o.levelStepPct);
  return Array.from({ length: units + 1 }, (_, k) => (k * 100) / units);
}

function levelBounds(c: SafetyContext): { lo: number; hi: number } {
  const typeMin =
    c.control.spaceTypes[c.spaceType]?.safetyMinLevelPct ??
    SPACE_TYPE_LIGHTING_DEFAULTS[c.spaceType].safetyMinLevelPct;
  const hi = c.device.limits.maxLevelPct ?? 100;
  return { lo: Math.min(Math.max(c.device.limits.minLevelPct ?? 0, typeMin), hi), hi };
}

function comfortOf(c: SafetyContext) {
  return c.control.spaceTypes[c.spaceType]?.comfort ?? c.control.comfort;
}

function existsBetween(lo: number, hi: number, step: number): boolean {
  for (let k = Math.ceil(5 / step - EPS); k * step <= 35 + EPS; k++) {
    const v = Math.round(k * step * 1e6) / 1e6;
    if (v >= lo - EPS && v <= hi + EPS) return true;
  }
  return false;
}

/** Every decoded command lies inside the configured bounds (to the device's resolution). */
function expectInBounds(c: SafetyContext, t: OutputTarget, d: DecodedCommand): void {
  if (d.kind === 'cleared') {
    expect(t.output).toBe('native');
    return;
  }
  expect(d.kind).toBe(t.kind);
  if (d.kind === 'lighting') {
    const { lo, hi } = levelBounds(c);
    expect(d.levelPct).toBeGreaterThanOrEqual(lo - EPS);
    if (representableLevels(t).some((v) => v >= lo - EPS && v <= hi + EPS)) {
      expect(d.levelPct).toBeLessThanOrEqual(hi + EPS);
    }
    return;
  }
  const band = comfortOf(c);
  const dMin = c.device.limits.minSetpointC ?? 5;
  const dMax = c.device.limits.maxSetpointC ?? 35;
  const step = t.options.setpointStepC;
  const cool = (v: number) => {
    const lo = Math.max(dMin, band.coolSetpointMinC);
    const hi = Math.min(dMax, band.coolSetpointMaxC);
    // China's rule holds always; the upper limit wherever the device can take a value inside.
    expect(v).toBeGreaterThanOrEqual(lo - EPS);
    if (existsBetween(lo, hi, step)) expect(v).toBeLessThanOrEqual(hi + EPS);
  };
  const heat = (v: number) => {
    const lo = Math.max(dMin, band.heatSetpointMinC);
    const hi = Math.min(dMax, band.heatSetpointMaxC);
    expect(v).toBeLessThanOrEqual(hi + EPS);
    if (existsBetween(lo, hi, step)) expect(v).toBeGreaterThanOrEqual(lo - EPS);
  };
  if (d.mode === 'cool') cool(d.setpointC ?? Number.NaN);
  if (d.mode === 'heat') heat(d.setpointC ?? Number.NaN);
  if (d.mode === 'auto') {
    cool(d.coolSetpointC ?? Number.NaN);
    heat(d.heatSetpointC ?? Number.NaN);
    expect(d.heatSetpointC ?? 0).toBeLessThan(d.coolSetpointC ?? 0);
  }
}

function expectWireRules(
  c: SafetyContext,
  t: OutputTarget,
  msgs: readonly EncodedMessage[],
  nowMs: number,
): void {
  const leaseMaxMs = c.control.leaseMaxMinutes * 60_000;
  for (const m of msgs) {
    if (t.output !== 'native') {
      expect(m.retain).toBe(false);
      expect(m.messageExpirySeconds).toBeUndefined();
      continue;
    }
    if (m.payload === '') {
      expect(m.retain).toBe(true);
      continue;
    }
    const p = SetpointPayload.parse(JSON.parse(m.payload));
    expect(Date.parse(p.issuedAt)).toBe(nowMs);
    expect(Date.parse(p.validUntil) - Date.parse(p.issuedAt)).toBeLessThanOrEqual(leaseMaxMs);
    expect(m.messageExpirySeconds ?? 0).toBeGreaterThanOrEqual(1);
    expect(m.messageExpirySeconds ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(leaseMaxMs / 1000);
    expect(m.retain).toBe(true);
    expect(m.qos).toBe(1);
  }
}

interface Sim {
  ctx: SafetyContext;
  record: DeviceRecord;
  nowMs: number;
  fire: boolean;
  release: boolean;
  stale: boolean;
  meterSeenMs: number;
  /** Tracked by the test from the reports it sent. */
  overrideUntilMs: number;
  outstanding: boolean;
  lastLevel?: { level: number; atMs: number } | undefined;
  lastModeEvent?: { mode: string; atMs: number };
  published: number;
}

function withMode(c: SafetyContext, mode: SpaceMode): SafetyContext {
  return { ...c, control: { ...c.control, defaultMode: mode } };
}

/** Checks every invariant on one outcome and its messages, then advances the test's own tracking. */
function check(sim: Sim, outcome: SafetyOutcome, msgs: EncodedMessage[], shutdown: boolean): void {
  const { ctx: c, nowMs } = sim;
  const t = outputTargetOf(c);
  if (
    ['emergency-lighting', 'co-ventilation', 'smoke-ventilation'].includes(c.device.kind) ||
    t === undefined
  ) {
    expect(msgs).toEqual([]); // life-safety kinds: nothing, ever
    return;
  }
  if (msgs.length === 0) return;
  sim.published++;
  for (const r of outcome.reasons) PATHS.add(`${outcome.action}:${r.replace(/:.*$/, '')}`);
  if (shutdown) PATHS.add('shutdown');
  const mode = c.control.defaultMode;
  // Within an override hold nothing is commanded (a native clear at shutdown commands nothing).
  if (nowMs < sim.overrideUntilMs) {
    expect(shutdown && t.output === 'native' && msgs.every((m) => m.payload === '')).toBe(true);
  }
  // Shadow and off spaces publish nothing but the hand-back of a lease that was outstanding.
  if (mode !== 'active') {
    expect(outcome.action).toBe('fallback');
    expect(sim.outstanding).toBe(true);
  }
  if (outcome.action === 'setpoint' && c.control.requireCommissioning) {
    expect(sim.record.commissioning).toBe('passed');
  }
  expectWireRules(c, t, msgs, nowMs);
  const decoded = decodeMessages(t, msgs);
  expect(decoded).toBeDefined();
  if (decoded === undefined) return;
  expectInBounds(c, t, decoded);

  const value = outcome.action === 'none' ? undefined : outcome.value;
  // Dimming is never faster than the configured rate (relays switch; bounds win over the rate).
  if (
    value?.kind === 'lighting' &&
    outcome.action === 'setpoint' &&
    sim.lastLevel &&
    t.options.tasmotaChannel !== 'relay'
  ) {
    const minutes = (nowMs - sim.lastLevel.atMs) / 60_000;
    const floor = Math.min(
      levelBounds(c).hi,
      sim.lastLevel.level - c.control.lightingDecreasePctPerMinute * minutes,
    );
    expect(value.levelPct).toBeGreaterThanOrEqual(floor - EPS);
  }
  if (value?.kind === 'lighting' && !(t.output === 'tasmota' && t.options.tasmotaChannel === 'relay'))
    sim.lastLevel = { level: value.levelPct, atMs: nowMs };
  if (value?.kind === 'lighting' && t.options.tasmotaChannel === 'relay') sim.lastLevel = undefined;

  // HVAC mode changes QuietWatt causes are at least the minimum apart; a release, and a native
  // controller's own fall-back at validUntil, are exempt.
  const hvacMode = decoded.kind === 'hvac' ? decoded.mode : value?.kind === 'hvac' ? value.mode : undefined;
  if (hvacMode !== undefined) {
    const exempt =
      shutdown ||
      outcome.reasons.some((r) => r.startsWith('release:')) ||
      (t.output === 'native' && outcome.reasons.includes('lease-expired'));
    const prev = sim.lastModeEvent;
    if (prev && prev.mode !== hvacMode && !exempt) {
      expect(nowMs - prev.atMs).toBeGreaterThanOrEqual(c.control.hvacMinModeChangeMinutes * 60_000);
    }
    if (!prev || prev.mode !== hvacMode) sim.lastModeEvent = { mode: hvacMode, atMs: nowMs };
  }
  if (outcome.action === 'setpoint') {
    sim.record = recordSetpointPublished(
      sim.record,
      { id: outcome.payload.id, value: outcome.value, validUntilMs: outcome.validUntilMs },
      nowMs,
    );
    sim.outstanding = true;
  } else if (outcome.action === 'fallback') {
    sim.record = recordHandedBack(sim.record, outcome.value, nowMs);
    sim.outstanding = false;
  }
}

function step(sim: Sim, e: SimEvent, i: number): void {
  sim.nowMs += e.dtS * 1000;
  if (!sim.stale) sim.meterSeenMs = sim.nowMs;
  let decision: Parameters<typeof applySafety>[0];
  switch (e.type) {
    case 'plan':
    case 'occupancy':
      decision = {
        setpointId: `sp-${i}`,
        planId: 'plan',
        value: e.value,
        validUntilMs: sim.nowMs + e.validMin * 60_000,
        reason: e.type,
        source: e.type,
      };
      break;
    case 'report': {
      const report = {
        appliedSetpointId: e.ack ? (sim.record.lastSetpointId ?? null) : null,
        override: e.override,
      };
      sim.record = recordStateReport(sim.record, report, sim.nowMs, sim.ctx.control).record;
      if (e.override) sim.overrideUntilMs = sim.nowMs + sim.ctx.control.overrideHoldMinutes * 60_000;
      break;
    }
    case 'fire':
      sim.fire = e.on;
      break;
    case 'release':
      sim.release = e.on;
      break;
    case 'stale':
      sim.stale = e.on;
      break;
    case 'mode':
      sim.ctx = withMode(sim.ctx, e.mode);
      break;
    case 'commission':
      sim.record = recordCommissioning(sim.record, e.passed, sim.nowMs);
      break;
    case 'tick':
      break;
  }
  const state = {
    record: sim.record,
    inputs: [{ id: 'meter1', kind: 'meter' as const, lastSeenMs: sim.meterSeenMs }],
    release: { fireAlarm: sim.fire, operator: sim.release },
  };
  const outcome = applySafety(decision, state, sim.ctx, sim.nowMs);
  const t = outputTargetOf(sim.ctx);
  const msgs = t === undefined ? [] : messagesForOutcome(outcome, t, sim.ctx, sim.nowMs);
  check(sim, outcome, msgs, false);
}

describe('safety layer, property-based', () => {
  it('on every path, every encoded message stays inside bounds and the rules hold', () => {
    let publishedRuns = 0;
    fc.assert(
      fc.property(
        safetyContext,
        startMs,
        fc.array(simEvent, { minLength: 5, maxLength: 40 }),
        (ctx, t0, events) => {
          const sim: Sim = {
            ctx,
            record: initialRecord('dev1'),
            nowMs: t0,
            fire: false,
            release: false,
            stale: false,
            meterSeenMs: t0,
            overrideUntilMs: Number.NEGATIVE_INFINITY,
            outstanding: false,
            published: 0,
          };
          events.forEach((e, i) => {
            step(sim, e, i);
          });
          // Shutdown path.
          sim.nowMs += 1000;
          const outcome = shutdownOutcome({ record: sim.record }, sim.ctx, sim.nowMs);
          const t = outputTargetOf(sim.ctx);
          const msgs = t === undefined ? [] : messagesForOutcome(outcome, t, sim.ctx, sim.nowMs);
          if (outcome.action !== 'none') expect(sim.outstanding).toBe(true);
          const mode = sim.ctx.control.defaultMode;
          sim.ctx = withMode(sim.ctx, 'active'); // the shutdown hand-back is allowed in every mode
          check(sim, outcome, msgs, true);
          sim.ctx = withMode(sim.ctx, mode);
          if (sim.published > 0) publishedRuns++;
        },
      ),
      { numRuns: 1000 },
    );
    // The generators must actually exercise publishing, or the properties above prove little.
    expect(publishedRuns).toBeGreaterThan(125);
    for (const path of [
      'setpoint:bounded',
      'setpoint:lease-capped',
      'setpoint:mode-hold',
      'fallback:release',
      'fallback:stale',
      'fallback:lease-expired',
      'fallback:space-shadow',
      'fallback:space-off',
      'shutdown',
    ]) {
      expect(PATHS, path).toContain(path);
    }
  });
});
