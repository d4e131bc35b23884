import { MemoryIntervalStore } from './memory-interval-store.js';
import { MemoryModelRegistryStore } from './memory-model-registry-store.js';
import { MemoryReadingStore } from './memory-reading-store.js';
import { MemorySavingsLedgerStore } from './memory-savings-ledger-store.js';
import { MemorySetpointAuditStore } from './memory-setpoint-audit-store.js';
import { MemoryCounterStore, MemoryKeyValueStore, MemoryMeterStateStore } from './memory-small-stores.js';

export {
  MemoryCounterStore,
  MemoryIntervalStore,
  MemoryKeyValueStore,
  MemoryMeterStateStore,
  MemoryModelRegistryStore,
  MemoryReadingStore,
  MemorySavingsLedgerStore,
  MemorySetpointAuditStore,
};

/** Every store in memory, shaped like createSqliteStores, for unit tests of services. */
export function createMemoryStores() {
  return {
    readings: new MemoryReadingStore(),
    intervals: new MemoryIntervalStore(),
    meterState: new MemoryMeterStateStore(),
    settings: new MemoryKeyValueStore(),
    rejections: new MemoryCounterStore(),
    setpointAudit: new MemorySetpointAuditStore(),
    ledger: new MemorySavingsLedgerStore(),
    models: new MemoryModelRegistryStore(),
  };
}

export type MemoryStores = ReturnType<typeof createMemoryStores>;
