import { SqliteIntervalStore } from '../../src/adapters/sqlite/interval-store.js';
import { MemoryIntervalStore } from '../helpers/fakes/memory-interval-store.js';
import { memoryFactory, sqliteFactory } from './harness.js';
import { intervalStoreContract } from './interval-store.contract.js';

intervalStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteIntervalStore(db)),
);
intervalStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemoryIntervalStore()),
);
