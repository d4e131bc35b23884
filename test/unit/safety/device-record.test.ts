import { describe, expect, it } from 'vitest';
import {
  ackStatus,
  initialRecord,
  leaseExpired,
  overrideActive,
  readFireAlarm,
  recordHandedBack,
  recordSetpointPublished,
  recordStateReport,
  renewDue,
} from '../../../src/domain/safety/index.js';
import { StateReport } from '../../../src/domain/setpoints/index.js';
import { control } from './fixtures.js';

const MIN = 60_000;
const c = control();

describe('device record', () => {
  const sent = recordSetpointPublished(
    initialRecord('d'),
    { id: 'sp-1', value: { kind: 'hvac', mode: 'cool', setpointC: 26 }, validUntilMs: 20 * MIN },
    0,
  );

  it('tracks the lease, renewal and expiry', () => {
    expect(sent.handedBack).toBe(false);
    expect(sent.lastMode).toBe('cool');
    expect(sent.lastModeChangeAtMs).toBe(0);
    expect(renewDue(sent, 17 * MIN, c)).toBe(false);
    expect(renewDue(sent, 18 * MIN, c)).toBe(true);
    expect(leaseExpired(sent, 19 * MIN)).toBe(false);
    expect(leaseExpired(sent, 20 * MIN)).toBe(true);
  });

  it('a mode change is recorded only when the mode changes', () => {
    const same = recordSetpointPublished(
      sent,
      { id: 'sp-2', value: { kind: 'hvac', mode: 'cool', setpointC: 27 }, validUntilMs: 40 * MIN },
      5 * MIN,
    );
    expect(same.lastModeChangeAtMs).toBe(0);
    const back = recordHandedBack(same, { kind: 'hvac', mode: 'off' }, 6 * MIN);
    expect(back).toMatchObject({ handedBack: true, lastMode: 'off', lastModeChangeAtMs: 6 * MIN });
    expect(back.leaseUntilMs).toBeUndefined();
    expect(back.lastSetpointId).toBeUndefined();
  });

  it('acknowledgement is the echo of the setpoint id; silence is open loop', () => {
    expect(ackStatus(sent, 10_000, c)).toBe('open-loop');
    const other = recordStateReport(sent, StateReport.parse({ appliedSetpointId: 'old' }), 10_000, c);
    expect(other.acknowledged).toBe(false);
    expect(ackStatus(other.record, 20_000, c)).toBe('pending');
    expect(ackStatus(other.record, 61_000, c)).toBe('unacknowledged');
    const echo = recordStateReport(sent, StateReport.parse({ appliedSetpointId: 'sp-1' }), 10_000, c);
    expect(echo.acknowledged).toBe(true);
    expect(ackStatus(echo.record, 10_000, c)).toBe('acknowledged');
  });

  it('an override starts a hold that runs its full time', () => {
    const o = recordStateReport(sent, StateReport.parse({ override: true }), MIN, c);
    expect(o.overrideStarted).toBe(true);
    const lifted = recordStateReport(o.record, StateReport.parse({ override: false }), 2 * MIN, c).record;
    expect(overrideActive(lifted, MIN + 119 * MIN)).toBe(true);
    expect(overrideActive(lifted, MIN + 120 * MIN)).toBe(false);
  });
});

describe('fire-alarm input', () => {
  const p = c.fireAlarm;
  it('reads the listed payloads and common JSON shapes as active or clear', () => {
    expect(readFireAlarm('ON', p)).toBe('active');
    expect(readFireAlarm(' 1 ', p)).toBe('active');
    expect(readFireAlarm('{"alarm":true}', p)).toBe('active');
    expect(readFireAlarm('{"state":"ALARM"}', p)).toBe('active');
    expect(readFireAlarm('{"fire":1}', p)).toBe('active');
    expect(readFireAlarm('OFF', p)).toBe('clear');
    expect(readFireAlarm('{"alarm":false}', p)).toBe('clear');
    expect(readFireAlarm('{"state":"normal"}', p)).toBe('clear');
  });

  it('reads anything else as unknown, never as clear', () => {
    for (const payload of [
      'nonsense-from-anyone',
      '',
      '{broken',
      '[]',
      '{"alarm":"maybe"}',
      '{}',
      'null',
      '2',
    ])
      expect(readFireAlarm(payload, p), payload).toBe('unknown');
  });
});
