import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/ports/stores.js';
import { type StoreFactory, withStore } from './harness.js';

export function keyValueStoreContract(name: string, factory: StoreFactory<KeyValueStore>): void {
  const test = (title: string, body: (s: KeyValueStore) => void) => it(title, withStore(factory, body));

  describe(`KeyValueStore contract: ${name}`, () => {
    test('returns undefined for a key never set', (s) => {
      expect(s.get('sim.clockMs')).toBeUndefined();
    });

    test('sets, overwrites and keeps keys apart, including empty values', (s) => {
      s.set('sim.clockMs', '1000');
      s.set('other', '');
      s.set('sim.clockMs', '2000');
      expect(s.get('sim.clockMs')).toBe('2000');
      expect(s.get('other')).toBe('');
    });
  });
}
