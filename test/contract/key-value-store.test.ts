import { SqliteKeyValueStore } from '../../src/adapters/sqlite/small-stores.js';
import { MemoryKeyValueStore } from '../helpers/fakes/memory-small-stores.js';
import { memoryFactory, sqliteFactory } from './harness.js';
import { keyValueStoreContract } from './key-value-store.contract.js';

keyValueStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteKeyValueStore(db)),
);
keyValueStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemoryKeyValueStore()),
);
