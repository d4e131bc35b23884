import { SqliteReadingStore } from '../../src/adapters/sqlite/reading-store.js';
import { MemoryReadingStore } from '../helpers/fakes/memory-reading-store.js';
import { memoryFactory, sqliteFactory } from './harness.js';
import { readingStoreContract } from './reading-store.contract.js';

readingStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteReadingStore(db)),
);
readingStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemoryReadingStore()),
);
