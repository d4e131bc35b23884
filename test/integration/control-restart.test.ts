import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SetpointPayload } from '../../src/domain/setpoints/contract.js';
import { startTestBroker, type TestBroker } from '../helpers/broker.js';
import { MINUTE, persistentStores, startRig } from './control-harness.js';

let broker: TestBroker;
let dir: string;
beforeAll(async () => {
  broker = await startTestBroker();
  dir = mkdtempSync(join(tmpdir(), 'qw-control-restart-'));
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

/** What a controller that connects now finds retained on a topic. */
async function retainedOn(topic: string): Promise<string[]> {
  const c = await mqtt.connectAsync(broker.url, { clientId: `qwtest-late-${Date.now()}`, clean: true });
  const got: string[] = [];
  c.on('message', (_t, payload, packet) => {
    if (packet.retain) got.push(payload.toString('utf8'));
  });
  await c.subscribeAsync(topic, { qos: 1 });
  await new Promise((r) => setTimeout(r, 300));
  await c.endAsync();
  return got;
}

describe('restart and shutdown over MQTT', () => {
  it('a restarted service publishes no duplicate or contradictory setpoints; a clean stop hands back, then says offline', async () => {
    const stores = persistentStores();
    const first = await startRig(broker, dir, 'ctl-restart', { stores });
    const { topics } = first;
    const results = Promise.all(DEVICES.map((k) => first.control.commission(k)));
    await first.advance(3 * MINUTE);
    expect((await results).every((r) => r.passed)).toBe(true);
    await first.advance(6 * MINUTE);
    const lobby = first.on(topics.lobbySet).filter((m) => m.payload !== '');
    const inForce = SetpointPayload.parse(JSON.parse(lobby[lobby.length - 1]?.payload ?? '{}'));
    const garageLast = first.on(topics.z2mSet).pop()?.payload;
    expect(garageLast).toBeDefined();
    // The service dies: nothing is handed back.
    await first.crash();

    const second = await startRig(broker, dir, 'ctl-restart', { stores, clock: first.clock, ids: first.ids });
    try {
      // The retained setpoint the dead service left is still the one in force.
      expect(JSON.parse((await retainedOn(topics.lobbySet))[0] ?? '{}')).toMatchObject({ id: inForce.id });
      const renewAt = Date.parse(inForce.validUntil) - 120_000;
      await second.advance(renewAt - second.clock.now() - MINUTE);
      // Same plan, same values: nothing is sent again, nothing contradicts what is in force.
      expect(second.on(topics.lobbySet)).toEqual([]);
      expect(second.on(topics.z2mSet)).toEqual([]);
      expect(second.on(topics.tasCmnd)).toEqual([]);
      expect(second.on(topics.gymSet)).toEqual([]);
      expect(second.log.lines.filter((l) => l.msg === 'commissioning: command sent')).toEqual([]);
      // At renewal, exactly one new lease with the same value.
      await second.advance(2 * MINUTE);
      const renewed = second.on(topics.lobbySet).map((m) => SetpointPayload.parse(JSON.parse(m.payload)));
      expect(renewed).toHaveLength(1);
      expect(renewed[0]?.value).toEqual(inForce.value);
      expect(renewed[0]?.id).not.toBe(inForce.id);
    } finally {
      // A clean stop: the native retained setpoint cleared, presets at their fallback, then `offline`.
      const before = second.received.length;
      await second.stop();
      const after = second.received.slice(before).filter((m) => !m.retained);
      const clearAt = after.findIndex((m) => m.topic === topics.lobbySet && m.payload === '');
      const z2mAt = after.findIndex(
        (m) => m.topic === topics.z2mSet && m.payload === '{"state":"ON","brightness":254}',
      );
      const tasAt = after.findIndex((m) => m.topic === `${topics.tasCmnd}Dimmer` && m.payload === '100');
      const offlineAt = after.findIndex((m) => m.topic === topics.status && m.payload === 'offline');
      expect(clearAt).toBeGreaterThanOrEqual(0);
      expect(z2mAt).toBeGreaterThanOrEqual(0);
      expect(tasAt).toBeGreaterThanOrEqual(0);
      expect(offlineAt).toBeGreaterThan(Math.max(clearAt, z2mAt, tasAt));
    }
    // Nothing retained for a controller that connects later.
    expect((await retainedOn(topics.lobbySet)).filter((p) => p !== '')).toEqual([]);
  }, 60_000);
});
