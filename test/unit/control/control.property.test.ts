import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SetpointPayload } from '../../../src/domain/setpoints/contract.js';
import { LOBBY_SET, LOBBY_STATE, MINUTE, rig, settle, Z2M_SET } from './fakes.js';

type Action =
  | { readonly kind: 'advance'; readonly minutes: number }
  | { readonly kind: 'occupancy'; readonly occupied: boolean }
  | { readonly kind: 'override' }
  | { readonly kind: 'release'; readonly on: boolean }
  | { readonly kind: 'fire'; readonly on: boolean }
  | { readonly kind: 'meters'; readonly alive: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 45 }) }),
  fc.record({ kind: fc.constant('occupancy' as const), occupied: fc.boolean() }),
  fc.record({ kind: fc.constant('override' as const) }),
  fc.record({ kind: fc.constant('release' as const), on: fc.boolean() }),
  fc.record({ kind: fc.constant('fire' as const), on: fc.boolean() }),
  fc.record({ kind: fc.constant('meters' as const), alive: fc.boolean() }),
);

const FIRE = 'fire/site/alarm';

describe('control loop, property-based', () => {
  it('whatever happens, what reaches the bus stays safe', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 12 }), async (actions) => {
        const r = rig({ fireAlarm: { topic: FIRE } });
        // While a release is in force, no native setpoint may be issued (clears only).
        const duringRelease: string[] = [];
        r.bus.tap = (m) => {
          const rel = r.service.releaseState();
          if ((rel.fireAlarm || rel.operator) && m.topic === LOBBY_SET && m.payload !== '')
            duringRelease.push(m.payload);
        };
        // The motion sensor has reported vacancy: plans dim the lobby to its minimum unless presence holds.
        r.sensors.emit('site', 'lobby', false, r.clock.now() - 30 * MINUTE);
        await r.service.start();
        await settle();
        for (const a of actions) {
          switch (a.kind) {
            case 'advance':
              await r.advance(a.minutes * MINUTE);
              break;
            case 'occupancy':
              r.sensors.emit('site', 'lobby', a.occupied, r.clock.now());
              break;
            case 'override':
              r.bus.deliver(LOBBY_STATE, JSON.stringify({ override: true }));
              break;
            case 'release':
              void r.service.setOperatorRelease(a.on, 'property test');
              break;
            case 'fire':
              r.bus.deliver(FIRE, a.on ? 'ALARM' : 'clear');
              break;
            case 'meters':
              r.meters.alive = a.alive;
              break;
          }
          await settle();
        }
        await r.service.stop();
        for (const m of r.bus.published) {
          expect(m.topic).not.toContain('emergency');
          if (m.topic === Z2M_SET) {
            expect(m.options.retain).toBe(false);
            const body = JSON.parse(m.payload) as { state: string; brightness?: number };
            // Garage safety minimum: 15 %, never dark.
            expect(body.state).toBe('ON');
            expect(((body.brightness ?? 0) * 100) / 254).toBeGreaterThanOrEqual(14.9);
          }
          if (m.topic === LOBBY_SET) {
            expect(m.options.retain).toBe(true);
            if (m.payload === '') continue;
            const p = SetpointPayload.parse(JSON.parse(m.payload));
            expect(Date.parse(p.validUntil) - Date.parse(p.issuedAt)).toBeLessThanOrEqual(30 * MINUTE);
            const v = p.value as { levelPct: number };
            expect(v.levelPct).toBeGreaterThanOrEqual(30);
            expect(v.levelPct).toBeLessThanOrEqual(100);
          }
        }
        expect(duringRelease).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
