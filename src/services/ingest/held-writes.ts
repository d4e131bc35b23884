import type { IntervalRow } from '../../domain/ingest/interval-row.js';
import type {
  IntervalStore,
  MeterStateStore,
  ReadingStore,
  StoredMeterState,
  StoredReading,
} from '../../ports/stores.js';
import { type HeldWrite, InboxBatch, type InboxBatchDeps } from '../shared/inbox-batch.js';
import type { RejectionTally } from '../shared/rejection-tally.js';

export interface HeldWritesStores extends InboxBatchDeps {
  readonly readings: ReadingStore;
  readonly intervals: IntervalStore;
  readonly meterState: MeterStateStore;
}

/** What is held for one meter: its readings, interval rows and newest state, written together. */
interface MeterWrites {
  readings: StoredReading[];
  intervalRows: IntervalRow[];
  state: StoredMeterState | undefined;
}

/**
 * What a flush has taken out of the buffers and not yet written, by meter, with the inbox rows it
 * came from. It is written in pages: each page one transaction holding every held reading,
 * interval row and the state of the meters it covers, and the last page also deletes the inbox
 * rows. A meter's readings and state are therefore always committed together: a crash between two
 * pages leaves the inbox rows, and their replay finds the readings of the committed meters already
 * in those meters' stored windows (duplicates, which change nothing) and stores the others. A
 * failed page keeps what it held for a retry, which writes each part exactly once.
 */
export class HeldWrites {
  private meters = new Map<string, MeterWrites>();
  private readings = 0;
  private intervalRows = 0;
  private states = 0;
  private readonly batch: InboxBatch;

  /** `counts`: rejections, stored with the page that deletes the inbox rows of the messages counted. */
  constructor(
    private readonly stores: HeldWritesStores,
    counts?: RejectionTally,
  ) {
    this.batch = new InboxBatch(stores, counts);
  }

  get readingCount(): number {
    return this.readings;
  }

  get intervalRowCount(): number {
    return this.intervalRows;
  }

  get stateCount(): number {
    return this.states;
  }

  /** Inbox rows behind what is buffered or held. */
  get inboxRowCount(): number {
    return this.batch.count;
  }

  /** A message with an inbox row was handled: its row goes with the write of what it led to. */
  handled(inboxSeq: number | undefined): void {
    this.batch.add(inboxSeq);
  }

  /**
   * Takes over a flush's new writes, behind any still held, with the inbox rows of every message
   * handled so far (not those handled while its pages are written).
   */
  take(
    readings: readonly StoredReading[],
    intervalRows: readonly IntervalRow[],
    states: ReadonlyMap<string, StoredMeterState>,
  ): void {
    for (const r of readings) this.meter(r.meterId).readings.push(r);
    for (const row of intervalRows) this.meter(row.meterId).intervalRows.push(row);
    for (const [meterId, state] of states) {
      const m = this.meter(meterId);
      if (m.state === undefined) this.states += 1;
      m.state = state;
    }
    this.readings += readings.length;
    this.intervalRows += intervalRows.length;
    this.batch.seal();
  }

  /** Writes everything held in one transaction; throws the store's error keeping what is not written. */
  write(): void {
    this.writePage(Number.POSITIVE_INFINITY);
  }

  /**
   * Writes the meters held longest, until the page holds at least `minReadings` readings or
   * nothing is left, in one transaction (where the stores offer one); the page that empties what is
   * held also deletes the inbox rows. Returns whether nothing is left held. Throws the store's error,
   * keeping the page's writes.
   */
  writePage(minReadings: number): boolean {
    const page: [string, MeterWrites][] = [];
    let readings = 0;
    for (const entry of this.meters) {
      if (page.length > 0 && readings >= minReadings) break;
      page.push(entry);
      readings += entry[1].readings.length;
    }
    const last = page.length === this.meters.size;
    if (page.length === 0 && this.batch.idle) return true;
    this.batch.commit(page.length === 0 ? [] : this.pageWrites(page), { seal: false, release: last });
    return last;
  }

  /** The page as three store writes, each letting go of its part of the page's meters once committed. */
  private pageWrites(page: readonly [string, MeterWrites][]): HeldWrite[] {
    const readings: StoredReading[] = [];
    const intervalRows: IntervalRow[] = [];
    const states = new Map<string, StoredMeterState>();
    for (const [meterId, m] of page) {
      for (const r of m.readings) readings.push(r);
      for (const row of m.intervalRows) intervalRows.push(row);
      if (m.state !== undefined) states.set(meterId, m.state);
    }
    return [
      {
        write: () => {
          if (readings.length > 0) this.stores.readings.appendReadings(readings);
        },
        letGo: () => {
          for (const [, m] of page) {
            this.readings -= m.readings.length;
            m.readings = [];
          }
        },
      },
      {
        write: () => {
          if (intervalRows.length > 0) this.stores.intervals.addIntervals(intervalRows);
        },
        letGo: () => {
          for (const [, m] of page) {
            this.intervalRows -= m.intervalRows.length;
            m.intervalRows = [];
          }
        },
      },
      {
        write: () => {
          if (states.size > 0) this.stores.meterState.saveMeterStates(states);
        },
        // The last part: a meter with nothing left held is done.
        letGo: () => {
          for (const [meterId, m] of page) {
            if (m.state !== undefined) this.states -= 1;
            m.state = undefined;
            if (m.readings.length === 0 && m.intervalRows.length === 0) this.meters.delete(meterId);
          }
        },
      },
    ];
  }

  private meter(meterId: string): MeterWrites {
    let m = this.meters.get(meterId);
    if (!m) {
      m = { readings: [], intervalRows: [], state: undefined };
      this.meters.set(meterId, m);
    }
    return m;
  }
}
