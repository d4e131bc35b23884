import { SqliteCounterStore } from '../../src/adapters/sqlite/small-stores.js';
import { MemoryCounterStore } from '../helpers/fakes/memory-small-stores.js';
import { counterStoreContract } from './counter-store.contract.js';
import { memoryFactory, sqliteFactory } from './harness.js';

counterStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteCounterStore(db)),
);
counterStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemoryCounterStore()),
);
