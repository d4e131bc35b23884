import { SqliteModelRegistryStore } from '../../src/adapters/sqlite/model-registry-store.js';
import { MemoryModelRegistryStore } from '../helpers/fakes/memory-model-registry-store.js';
import { memoryFactory, sqliteFactory } from './harness.js';
import { modelRegistryStoreContract } from './model-registry-store.contract.js';

modelRegistryStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteModelRegistryStore(db)),
);
modelRegistryStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemoryModelRegistryStore()),
);
