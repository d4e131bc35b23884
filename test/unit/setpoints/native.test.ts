import { describe, expect, it } from 'vitest';
import { DeviceOutputOptions } from '../../../src/config/schema/control.js';
import {
  availabilityMessage,
  buildClearMessage,
  buildNativeMessage,
  decodeMessages,
  makeSetpointPayload,
  type OutputTarget,
  SetpointPayload,
  StateReport,
} from '../../../src/domain/setpoints/index.js';

const T0 = Date.parse('2026-07-01T10:00:00.000Z');
const t: OutputTarget = {
  address: { site: 'maple', space: 'lobby', device: 'lobby-lights' },
  kind: 'lighting',
  output: 'native',
  options: DeviceOutputOptions.parse({}),
  prefix: 'quietwatt',
};

describe('native contract', () => {
  const payload = makeSetpointPayload(
    { kind: 'lighting', levelPct: 40 },
    {
      id: 'sp-1',
      address: t.address,
      issuedAtMs: T0,
      validUntilMs: T0 + 20 * 60_000,
      planId: 'plan-7',
      reason: 'low occupancy forecast',
    },
  );

  it('builds a payload carrying every contract field', () => {
    expect(payload).toEqual({
      contract: 1,
      id: 'sp-1',
      site: 'maple',
      space: 'lobby',
      device: 'lobby-lights',
      kind: 'lighting',
      value: { levelPct: 40 },
      issuedAt: '2026-07-01T10:00:00.000Z',
      validUntil: '2026-07-01T10:20:00.000Z',
      planId: 'plan-7',
      reason: 'low occupancy forecast',
    });
  });

  it('publishes retained, QoS 1, expiring at validUntil', () => {
    const m = buildNativeMessage(t, payload, T0 + 30_500);
    expect(m.topic).toBe('quietwatt/maple/lobby/lobby-lights/set');
    expect(m.qos).toBe(1);
    expect(m.retain).toBe(true);
    expect(m.messageExpirySeconds).toBe(20 * 60 - 30);
    expect(decodeMessages(t, [m])).toEqual({ kind: 'lighting', levelPct: 40 });
  });

  it('a configured topic is the base of /set', () => {
    expect(buildClearMessage({ ...t, topic: 'controllers/maple/lobby' }).topic).toBe(
      'controllers/maple/lobby/set',
    );
  });

  it('clears with an empty retained message', () => {
    const c = buildClearMessage(t);
    expect(c).toEqual({ topic: 'quietwatt/maple/lobby/lobby-lights/set', payload: '', qos: 1, retain: true });
    expect(decodeMessages(t, [c])).toEqual({ kind: 'cleared' });
  });

  it('rejects bad payloads with the field named', () => {
    const bad = SetpointPayload.safeParse({ ...payload, value: { levelPct: 140 } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('levelPct');
    const backwards = SetpointPayload.safeParse({ ...payload, validUntil: '2026-07-01T09:00:00.000Z' });
    expect(backwards.success).toBe(false);
    const auto = SetpointPayload.safeParse({
      ...payload,
      kind: 'hvac',
      value: { mode: 'auto', heatSetpointC: 26, coolSetpointC: 20 },
    });
    expect(auto.success).toBe(false);
  });

  it('parses controller state reports (ack and override)', () => {
    expect(StateReport.parse({ value: { levelPct: 40 }, appliedSetpointId: 'sp-1' })).toEqual({
      value: { levelPct: 40 },
      appliedSetpointId: 'sp-1',
      override: false,
    });
    expect(StateReport.parse({ override: true }).appliedSetpointId).toBeNull();
    expect(StateReport.safeParse({ override: 'yes' }).success).toBe(false);
  });

  it('availability is retained on <prefix>/status', () => {
    expect(availabilityMessage('quietwatt', 'offline')).toEqual({
      topic: 'quietwatt/status',
      payload: 'offline',
      qos: 1,
      retain: true,
    });
  });
});
