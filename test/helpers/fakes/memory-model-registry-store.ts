import type { EndUse } from '../../../src/domain/energy.js';
import type { ModelRecord, ModelRegistryStore } from '../../../src/ports/stores.js';
import { byKeys } from './compare.js';

export class MemoryModelRegistryStore implements ModelRegistryStore {
  private readonly models: ModelRecord[] = [];

  saveModel(model: Omit<ModelRecord, 'version'>): ModelRecord {
    const same = this.models.filter(
      (m) =>
        m.siteId === model.siteId &&
        m.spaceId === model.spaceId &&
        m.endUse === model.endUse &&
        m.modelKind === model.modelKind,
    );
    const saved = { ...model, version: Math.max(0, ...same.map((m) => m.version)) + 1 };
    this.models.push(saved);
    return { ...saved };
  }

  getModel(
    siteId: string,
    spaceId: string,
    endUse: EndUse,
    modelKind: string,
    version: number,
  ): ModelRecord | undefined {
    const m = this.models.find(
      (x) =>
        x.siteId === siteId &&
        x.spaceId === spaceId &&
        x.endUse === endUse &&
        x.modelKind === modelKind &&
        x.version === version,
    );
    return m === undefined ? undefined : { ...m };
  }

  latestModel(siteId: string, spaceId: string, endUse: EndUse, modelKind?: string): ModelRecord | undefined {
    // One kind: the highest version. Any kind: the most recently created, as the SQLite store orders.
    const newestFirst = this.models
      .filter(
        (m) =>
          m.siteId === siteId &&
          m.spaceId === spaceId &&
          m.endUse === endUse &&
          (modelKind === undefined || m.modelKind === modelKind),
      )
      .sort(
        modelKind === undefined
          ? byKeys(
              (m) => -m.createdAtMs,
              (m) => -m.version,
              (m) => m.modelKind,
            )
          : (a, b) => b.version - a.version,
      );
    const m = newestFirst[0];
    return m === undefined ? undefined : { ...m };
  }

  listModels(filter: { readonly siteId?: string; readonly spaceId?: string } = {}): ModelRecord[] {
    return this.models
      .filter(
        (m) =>
          (filter.siteId === undefined || m.siteId === filter.siteId) &&
          (filter.spaceId === undefined || m.spaceId === filter.spaceId),
      )
      .sort(
        byKeys(
          (m) => m.siteId,
          (m) => m.spaceId,
          (m) => m.endUse,
          (m) => m.modelKind,
          (m) => m.version,
        ),
      )
      .map((m) => ({ ...m }));
  }
}
