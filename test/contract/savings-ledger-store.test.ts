import { SqliteSavingsLedgerStore } from '../../src/adapters/sqlite/savings-ledger-store.js';
import { MemorySavingsLedgerStore } from '../helpers/fakes/memory-savings-ledger-store.js';
import { memoryFactory, sqliteFactory } from './harness.js';
import { savingsLedgerStoreContract } from './savings-ledger-store.contract.js';

savingsLedgerStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteSavingsLedgerStore(db)),
);
// Daily sums cut in zones with a half-hour offset and with daylight saving time.
savingsLedgerStoreContract(
  'SQLite file, days in Asia/Kolkata',
  sqliteFactory((db) => new SqliteSavingsLedgerStore(db, () => 'Asia/Kolkata')),
);
savingsLedgerStoreContract(
  'SQLite file, days in America/New_York',
  sqliteFactory((db) => new SqliteSavingsLedgerStore(db, () => 'America/New_York')),
);
savingsLedgerStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemorySavingsLedgerStore()),
);
