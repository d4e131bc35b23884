import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SetpointPayload } from '../../src/domain/setpoints/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { MINUTE, type Received, type Rig, startRig } from './control-harness.js';

let broker: TestBroker;
let dir: string;
beforeAll(async () => {
  broker = await startTestBroker();
  dir = mkdtempSync(join(tmpdir(), 'qw-control-'));
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

const DEVICES = [
  'site/lobby/lobby-lights',
  'site/garage/garage-z2m',
  'site/garage/garage-tas',
  'site/gym/gym-ac',
];

function setpoint(m: Received): SetpointPayload {
  return SetpointPayload.parse(JSON.parse(m.payload));
}

function z2mLevel(m: Received): number {
  const body = JSON.parse(m.payload) as { state: string; brightness?: number };
  return body.state === 'OFF' ? 0 : Math.round(((body.brightness ?? 0) * 100) / 254);
}

async function commissionAll(rig: Rig): Promise<void> {
  const results = Promise.all(DEVICES.map((k) => rig.control.commission(k)));
  await rig.advance(2 * MINUTE);
  for (const [i, r] of (await results).entries()) {
    expect(r, DEVICES[i]).toMatchObject({ passed: true, stateReport: true, meter: 'responded' });
  }
}

describe('control loop over MQTT', () => {
  it('commissions, publishes an acknowledged plan, renews without duplicates, holds on override, expires and falls back on stale data', async () => {
    const rig = await startRig(broker, dir, 'ctl-main');
    const { topics } = rig;
    try {
      // The lobby's motion sensor has reported vacancy: only likely presence pre-lights it.
      await rig.publish(topics.motion, JSON.stringify({ value: 0 }));
      await commissionAll(rig);
      const recorded = JSON.parse(
        rig.stores.settings.get('control.commissioning.site/lobby/lobby-lights') ?? '{}',
      );
      expect(recorded).toMatchObject({ passed: true, meter: 'responded' });

      // The commissioning command is the device's own schedule value; then the plan takes over.
      const lobby = rig.on(topics.lobbySet).map(setpoint);
      expect(lobby[0]).toMatchObject({ reason: 'commissioning check', value: { levelPct: 40 } });
      const planned = lobby.filter((p) => p.planId.startsWith('plan-'));
      expect(planned.length).toBeGreaterThan(0);
      for (const p of lobby) {
        expect(Date.parse(p.validUntil) - Date.parse(p.issuedAt)).toBeLessThanOrEqual(30 * MINUTE);
        expect(p.value).toMatchObject({ levelPct: expect.any(Number) });
      }
      // The controller echoed the id: acknowledged in the audit log.
      const last = planned[planned.length - 1];
      if (!last) throw new Error('no planned setpoint');
      await rig.waitFor(() => rig.stores.audit.get(last.id)?.acknowledgedAtMs ?? undefined);
      expect(rig.stores.audit.get(last.id)).toMatchObject({
        mode: 'active',
        publishedAtMs: expect.any(Number),
      });
      expect(rig.control.status().find((s) => s.key === DEVICES[0])?.ack).toBe('acknowledged');

      // Garage presets dim step by step from the schedule's 100 % towards the plan, 10 %/min at most.
      await rig.advance(5 * MINUTE);
      const z2m = rig.on(topics.z2mSet);
      const levels = z2m.map(z2mLevel);
      expect(levels[0]).toBe(100);
      // At most 10 % per minute since the previous command.
      for (let i = 1; i < z2m.length; i++) {
        const minutes = Math.max(1, ((z2m[i]?.atMs ?? 0) - (z2m[i - 1]?.atMs ?? 0)) / MINUTE);
        expect((levels[i - 1] ?? 0) - (levels[i] ?? 0)).toBeLessThanOrEqual(10 * minutes + 0.5);
      }
      expect(Math.min(...levels)).toBeLessThan(100);
      expect(rig.on(topics.tasCmnd).length).toBeGreaterThan(0);

      // The 04:15 plan knows the lobby has a motion sensor: it dims to the device minimum.
      await rig.advance(15 * MINUTE);
      expect(rig.on(topics.lobbySet).map(setpoint).pop()?.value).toEqual({ levelPct: 30 });

      // Occupancy: the lights rise at once, without waiting for a tick (the clock does not move).
      const beforeMotion = rig.received.length;
      const t0 = Date.now();
      await rig.publish(topics.motion, JSON.stringify({ value: 1 }));
      const raised = await rig.waitFor(
        () =>
          rig
            .on(topics.lobbySet, beforeMotion)
            .map(setpoint)
            .find((p) => 'levelPct' in p.value && p.value.levelPct === 80),
        2000,
      );
      expect(raised.reason).toMatch(/presence/);
      expect(Date.now() - t0).toBeLessThan(2000);

      // Nothing changes but time: no publish until the lease is due for renewal, then exactly one.
      await rig.advance(2 * MINUTE);
      const inForce = rig.on(topics.lobbySet).map(setpoint).pop();
      if (!inForce) throw new Error('no lobby setpoint');
      const renewAt = Date.parse(inForce.validUntil) - 120_000;
      const quiet = rig.received.length;
      await rig.advance(renewAt - rig.clock.now() - MINUTE);
      expect(rig.on(topics.lobbySet, quiet)).toEqual([]);
      await rig.advance(2 * MINUTE);
      const renewed = rig.on(topics.lobbySet, quiet).map(setpoint);
      expect(renewed).toHaveLength(1);
      expect(renewed[0]?.value).toEqual(inForce.value);
      expect(renewed[0]?.id).not.toBe(inForce.id);

      // A person takes over: the device is left alone for the hold time, and that is recorded.
      const beforeOverride = rig.received.length;
      await rig.publish(topics.lobbyState, JSON.stringify({ appliedSetpointId: null, override: true }));
      await rig.waitFor(() => rig.control.status().find((s) => s.key === DEVICES[0])?.overrideUntilMs);
      expect(rig.stores.settings.get('control.override.site/lobby/lobby-lights')).toBeDefined();
      await rig.advance(19 * MINUTE);
      expect(rig.on(topics.lobbySet, beforeOverride)).toEqual([]);
      await rig.advance(3 * MINUTE);
      expect(rig.on(topics.lobbySet, beforeOverride).filter((m) => m.payload !== '').length).toBeGreaterThan(
        0,
      );

      // The fan-only gym HVAC is not planned: its commissioning lease is never renewed and ends in a clear.
      const gym = rig.on(topics.gymSet);
      const first = gym[0];
      if (!first) throw new Error('no gym setpoint');
      const lease = Date.parse(setpoint(first).validUntil);
      const clears = gym.filter((m) => m.payload === '');
      expect(gym.filter((m) => m.payload !== '')).toHaveLength(1);
      expect(clears).toHaveLength(1);
      expect(clears[0]?.atMs).toBeGreaterThanOrEqual(lease);
      expect(clears[0]?.atMs).toBeLessThanOrEqual(lease + MINUTE);

      // Meters go silent: after the meter threshold (30 min), and not before, every device goes back.
      rig.behaviour.meters = false;
      const silentFrom = rig.clock.now();
      const beforeStale = rig.received.length;
      await rig.advance(29 * MINUTE);
      expect(rig.on(topics.lobbySet, beforeStale).filter((m) => m.payload === '')).toEqual([]);
      expect(rig.on(topics.z2mSet, beforeStale).map(z2mLevel)).not.toContain(100);
      await rig.advance(4 * MINUTE);
      const lobbyClear = rig.on(topics.lobbySet, beforeStale).find((m) => m.payload === '');
      expect(lobbyClear?.atMs).toBeGreaterThan(silentFrom + 30 * MINUTE);
      expect(rig.on(topics.z2mSet, beforeStale).map(z2mLevel)).toContain(100);
      expect(rig.on(`${topics.tasCmnd}Dimmer`, beforeStale).map((m) => m.payload)).toContain('100');

      // Data again: control resumes.
      rig.behaviour.meters = true;
      const beforeResume = rig.received.length;
      await rig.advance(2 * MINUTE);
      expect(rig.on(topics.lobbySet, beforeResume).filter((m) => m.payload !== '').length).toBeGreaterThan(0);
    } finally {
      await rig.stop();
    }
  }, 60_000);
});
