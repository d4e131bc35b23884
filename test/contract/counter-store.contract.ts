import { describe, expect, it } from 'vitest';
import type { CounterStore } from '../../src/ports/stores.js';
import { type StoreFactory, withStore } from './harness.js';

export function counterStoreContract(name: string, factory: StoreFactory<CounterStore>): void {
  const test = (title: string, body: (s: CounterStore) => void) => it(title, withStore(factory, body));

  describe(`CounterStore contract: ${name}`, () => {
    test('starts with no counters', (s) => {
      expect(s.counts()).toEqual([]);
    });

    test('adds per meter and reason, by 1 unless told, ordered by meter then reason', (s) => {
      s.increment('m2', 'malformed-json');
      s.increment('m1', 'nan', 3);
      s.increment('m1', 'future-timestamp');
      s.increment('m1', 'nan');
      expect(s.counts()).toStrictEqual([
        { meterId: 'm1', reason: 'future-timestamp', count: 1 },
        { meterId: 'm1', reason: 'nan', count: 4 },
        { meterId: 'm2', reason: 'malformed-json', count: 1 },
      ]);
    });

    test('returns the total each increment leaves', (s) => {
      expect(s.increment('m1', 'nan')).toBe(1);
      expect(s.increment('m1', 'nan', 4)).toBe(5);
      expect(s.increment('m2', 'nan', 2)).toBe(2);
      expect(s.increment('m1', 'nan', 0)).toBe(5);
    });

    test('adding zero creates no counter', (s) => {
      expect(s.increment('m1', 'nan', 0)).toBe(0);
      expect(s.counts()).toEqual([]);
    });

    test('refuses a negative or fractional step', (s) => {
      expect(() => s.increment('m1', 'nan', -1)).toThrow(/by/);
      expect(() => s.increment('m1', 'nan', 1.5)).toThrow(/by/);
      expect(s.counts()).toEqual([]);
    });
  });
}
