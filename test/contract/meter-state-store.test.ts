import { SqliteMeterStateStore } from '../../src/adapters/sqlite/small-stores.js';
import { MemoryMeterStateStore } from '../helpers/fakes/memory-small-stores.js';
import { memoryFactory, sqliteFactory } from './harness.js';
import { meterStateStoreContract } from './meter-state-store.contract.js';

meterStateStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteMeterStateStore(db)),
);
meterStateStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemoryMeterStateStore()),
);
