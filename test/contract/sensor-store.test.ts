import { SqliteSensorStore } from '../../src/adapters/sqlite/sensor-store.js';
import { MemorySensorStore } from '../helpers/fakes/memory-sensor-store.js';
import { memoryFactory, sqliteFactory } from './harness.js';
import { sensorStoreContract } from './sensor-store.contract.js';

sensorStoreContract(
  'SQLite file',
  sqliteFactory((db) => new SqliteSensorStore(db)),
);
sensorStoreContract(
  'in-memory fake',
  memoryFactory(() => new MemorySensorStore()),
);
