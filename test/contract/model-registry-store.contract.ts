import { describe, expect, it } from 'vitest';
import type { ModelRecord, ModelRegistryStore } from '../../src/ports/stores.js';
import { type StoreFactory, withStore } from './harness.js';

const model = (createdAtMs: number, extra: Partial<Omit<ModelRecord, 'version'>> = {}) => ({
  siteId: 's1',
  spaceId: 'lobby',
  endUse: 'total' as const,
  modelKind: 'towt',
  createdAtMs,
  json: `{"fittedAt":${createdAtMs}}`,
  ...extra,
});

export function modelRegistryStoreContract(name: string, factory: StoreFactory<ModelRegistryStore>): void {
  const test = (title: string, body: (s: ModelRegistryStore) => void) => it(title, withStore(factory, body));

  describe(`ModelRegistryStore contract: ${name}`, () => {
    test('numbers versions 1, 2, ... per space, end use and model kind', (s) => {
      expect(s.saveModel(model(100)).version).toBe(1);
      expect(s.saveModel(model(200)).version).toBe(2);
      expect(s.saveModel(model(300, { modelKind: 'seasonal-naive' })).version).toBe(1);
      expect(s.saveModel(model(400, { spaceId: 'garage' })).version).toBe(1);
      expect(s.saveModel(model(500, { endUse: 'hvac' })).version).toBe(1);
    });

    test('returns a saved version unchanged', (s) => {
      const saved = s.saveModel(model(100));
      expect(saved).toStrictEqual({ ...model(100), version: 1 });
      expect(s.getModel('s1', 'lobby', 'total', 'towt', 1)).toStrictEqual(saved);
      expect(s.getModel('s1', 'lobby', 'total', 'towt', 2)).toBeUndefined();
    });

    test('finds the latest version of a kind, or the newest model of any kind', (s) => {
      s.saveModel(model(100));
      s.saveModel(model(300, { modelKind: 'seasonal-naive' }));
      s.saveModel(model(200));
      expect(s.latestModel('s1', 'lobby', 'total', 'towt')).toMatchObject({ version: 2, createdAtMs: 200 });
      expect(s.latestModel('s1', 'lobby', 'total')).toMatchObject({
        modelKind: 'seasonal-naive',
        version: 1,
      });
      expect(s.latestModel('s1', 'lobby', 'hvac')).toBeUndefined();
    });

    test('lists models in order, optionally for one site or space', (s) => {
      s.saveModel(model(100, { spaceId: 'lobby' }));
      s.saveModel(model(200, { spaceId: 'garage' }));
      s.saveModel(model(300, { spaceId: 'lobby' }));
      expect(s.listModels().map((m) => [m.spaceId, m.version])).toEqual([
        ['garage', 1],
        ['lobby', 1],
        ['lobby', 2],
      ]);
      expect(s.listModels({ spaceId: 'garage' })).toHaveLength(1);
      expect(s.listModels({ siteId: 's2' })).toEqual([]);
    });
  });
}
