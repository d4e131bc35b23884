import type Database from 'better-sqlite3';
import type {
  CounterStore,
  KeyValueStore,
  MeterStateStore,
  RejectionCount,
  StoredMeterState,
} from '../../ports/stores.js';
import { checkCount } from './checks.js';

/** better-sqlite3 binds Buffers as BLOBs; a plain Uint8Array is wrapped without a copy. */
function bindable(state: StoredMeterState): string | Buffer {
  if (typeof state === 'string' || Buffer.isBuffer(state)) return state;
  return Buffer.from(state.buffer, state.byteOffset, state.byteLength);
}

/**
 * The last ingest state per meter, opaque to the store: a BLOB record, or TEXT JSON written before
 * migration 011 (read back as a string until the meter's next change rewrites it).
 */
export class SqliteMeterStateStore implements MeterStateStore {
  private readonly load: Database.Statement;
  private readonly save: Database.Statement;
  private readonly saveMany: (states: ReadonlyMap<string, StoredMeterState>) => void;

  constructor(db: Database.Database) {
    this.load = db.prepare('SELECT state FROM meter_state WHERE meter_id = ?').pluck();
    this.save = db.prepare(
      `INSERT INTO meter_state (meter_id, state) VALUES (?, ?)
       ON CONFLICT (meter_id) DO UPDATE SET state = excluded.state`,
    );
    this.saveMany = db.transaction((states: ReadonlyMap<string, StoredMeterState>) => {
      for (const [meterId, state] of states) this.save.run(meterId, bindable(state));
    });
  }

  loadMeterState(meterId: string): StoredMeterState | undefined {
    return this.load.get(meterId) as StoredMeterState | undefined;
  }

  saveMeterState(meterId: string, state: StoredMeterState): void {
    this.save.run(meterId, bindable(state));
  }

  saveMeterStates(states: ReadonlyMap<string, StoredMeterState>): void {
    if (states.size > 0) this.saveMany(states);
  }
}

/** Settings that must survive a restart, such as the simulated clock position. */
export class SqliteKeyValueStore implements KeyValueStore {
  private readonly read: Database.Statement;
  private readonly write: Database.Statement;

  constructor(db: Database.Database) {
    this.read = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
    this.write = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  get(key: string): string | undefined {
    return this.read.get(key) as string | undefined;
  }

  set(key: string, value: string): void {
    this.write.run(key, value);
  }
}

/** Rejected inputs per meter and reason; counts persist so they add up across restarts. */
export class SqliteCounterStore implements CounterStore {
  private readonly add: Database.Statement;
  private readonly one: Database.Statement;
  private readonly all: Database.Statement;

  constructor(db: Database.Database) {
    this.add = db
      .prepare(
        `INSERT INTO rejection_counts (meter_id, reason, count) VALUES (?, ?, ?)
         ON CONFLICT (meter_id, reason) DO UPDATE SET count = count + excluded.count
         RETURNING count`,
      )
      .pluck();
    this.one = db.prepare('SELECT count FROM rejection_counts WHERE meter_id = ? AND reason = ?').pluck();
    this.all = db.prepare(
      'SELECT meter_id AS meterId, reason, count FROM rejection_counts ORDER BY meter_id, reason',
    );
  }

  increment(meterId: string, reason: string, by = 1): number {
    checkCount(meterId, reason, by);
    const total = by > 0 ? this.add.get(meterId, reason, by) : this.one.get(meterId, reason);
    return (total as number | undefined) ?? 0;
  }

  counts(): RejectionCount[] {
    return this.all.all() as RejectionCount[];
  }
}
