import { describe, expect, it } from 'vitest';
import type { MeterStateStore } from '../../src/ports/stores.js';
import { type StoreFactory, withStore } from './harness.js';

export function meterStateStoreContract(name: string, factory: StoreFactory<MeterStateStore>): void {
  const test = (title: string, body: (s: MeterStateStore) => void) => it(title, withStore(factory, body));

  describe(`MeterStateStore contract: ${name}`, () => {
    test('has no state for an unknown meter', (s) => {
      expect(s.loadMeterState('m1')).toBeUndefined();
    });

    test('saves, overwrites and keeps meters apart', (s) => {
      s.saveMeterState('m1', '{"lastKWh":1}');
      s.saveMeterState('m2', '{"lastKWh":2}');
      s.saveMeterState('m1', '{"lastKWh":3}');
      expect(s.loadMeterState('m1')).toBe('{"lastKWh":3}');
      expect(s.loadMeterState('m2')).toBe('{"lastKWh":2}');
    });

    test('saves many meters at once, overwriting what they had', (s) => {
      s.saveMeterState('m1', '{"lastKWh":1}');
      s.saveMeterStates(
        new Map([
          ['m1', '{"lastKWh":4}'],
          ['m3', '{"lastKWh":5}'],
        ]),
      );
      s.saveMeterStates(new Map());
      expect(s.loadMeterState('m1')).toBe('{"lastKWh":4}');
      expect(s.loadMeterState('m3')).toBe('{"lastKWh":5}');
    });
  });
}
