import type { IntervalRow } from '../../domain/ingest/interval-row.js';
import type { IntervalStore, MeterStateStore, ReadingStore, StoredReading } from '../../ports/stores.js';
import { HeldPart } from '../shared/held-part.js';

export interface HeldWritesStores {
  readonly readings: ReadingStore;
  readonly intervals: IntervalStore;
  readonly meterState: MeterStateStore;
}

/**
 * What a flush has taken out of the buffers and not yet written. Each part is written in its own
 * transaction and let go only once it is in, so a failed write keeps what it holds and the retry
 * writes each part exactly once: readings are keyed (a rewrite changes nothing), interval rows add
 * up (they must never be written twice), meter states are overwritten with the newest.
 */
export class HeldWrites {
  private readonly readings: HeldPart<StoredReading>;
  private readonly intervalRows: HeldPart<IntervalRow>;
  private states = new Map<string, string>();

  constructor(private readonly stores: HeldWritesStores) {
    this.readings = new HeldPart((rows) => stores.readings.appendReadings(rows));
    this.intervalRows = new HeldPart((rows) => stores.intervals.addIntervals(rows));
  }

  get readingCount(): number {
    return this.readings.count;
  }

  get intervalRowCount(): number {
    return this.intervalRows.count;
  }

  get stateCount(): number {
    return this.states.size;
  }

  /** Takes over a flush's new writes, after any still held from a failed one. */
  take(readings: StoredReading[], intervalRows: IntervalRow[], states: ReadonlyMap<string, string>): void {
    this.readings.take(readings);
    this.intervalRows.take(intervalRows);
    for (const [meterId, json] of states) this.states.set(meterId, json);
  }

  /** Writes what is held, part by part; throws the store's error with the unwritten parts kept. */
  write(): void {
    this.readings.write();
    this.intervalRows.write();
    if (this.states.size > 0) {
      this.stores.meterState.saveMeterStates(this.states);
      this.states = new Map();
    }
  }
}
