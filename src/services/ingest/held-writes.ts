import type { IntervalRow } from '../../domain/ingest/interval-row.js';
import type {
  IntervalStore,
  MeterStateStore,
  ReadingStore,
  StoredMeterState,
  StoredReading,
} from '../../ports/stores.js';
import { HeldPart } from '../shared/held-part.js';
import { InboxBatch, type InboxBatchDeps } from '../shared/inbox-batch.js';

export interface HeldWritesStores extends InboxBatchDeps {
  readonly readings: ReadingStore;
  readonly intervals: IntervalStore;
  readonly meterState: MeterStateStore;
}

/**
 * What a flush has taken out of the buffers and not yet written, with the inbox rows it came from.
 * Readings, interval rows, meter states and the inbox deletion are written in one transaction and let
 * go only once it has committed, so a failed write keeps everything and the retry writes each part
 * exactly once; a crash before the commit leaves the inbox rows, which the next start replays.
 */
export class HeldWrites {
  private readonly readings: HeldPart<StoredReading>;
  private readonly intervalRows: HeldPart<IntervalRow>;
  private states = new Map<string, StoredMeterState>();
  private readonly batch: InboxBatch;

  constructor(private readonly stores: HeldWritesStores) {
    this.readings = new HeldPart((rows) => stores.readings.appendReadings(rows));
    this.intervalRows = new HeldPart((rows) => stores.intervals.addIntervals(rows));
    this.batch = new InboxBatch(stores);
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

  /** Inbox rows behind what is buffered or held. */
  get inboxRowCount(): number {
    return this.batch.count;
  }

  /** A message with an inbox row was handled: its row goes with the next write. */
  handled(inboxSeq: number | undefined): void {
    this.batch.add(inboxSeq);
  }

  /** Takes over a flush's new writes, after any still held from a failed one. */
  take(
    readings: StoredReading[],
    intervalRows: IntervalRow[],
    states: ReadonlyMap<string, StoredMeterState>,
  ): void {
    this.readings.take(readings);
    this.intervalRows.take(intervalRows);
    for (const [meterId, state] of states) this.states.set(meterId, state);
  }

  /** Writes everything held (in one transaction where the stores offer one); throws the store's error keeping what is not written. */
  write(): void {
    if (this.readings.count + this.intervalRows.count + this.states.size + this.batch.count === 0) return;
    const states = this.states;
    this.batch.commit([
      this.readings,
      this.intervalRows,
      {
        write: () => {
          if (states.size > 0) this.stores.meterState.saveMeterStates(states);
        },
        letGo: () => {
          if (this.states === states) this.states = new Map();
        },
      },
    ]);
  }
}
