/** A lockstep clock would start before data the store already holds: refused at start-up. */
export class StoreAheadOfClockError extends Error {
  readonly code = 'QW_STORE_AHEAD_OF_CLOCK';
}

export interface StoreTimes {
  /** Where the clock starts (`clock.start`), ms since the epoch. */
  readonly clockStartMs: number;
  /** The newest data in the store, or where its last run's clock stopped; null when empty. */
  readonly newestStoredMs: number | null;
  /** The storage folder, to name in the message. */
  readonly storageDir: string;
}

/**
 * Under `clock.source: mqtt` a bench replays from `clock.start`. A store with data after that start
 * holds an earlier run: this one would write the same hours again, mix its readings, intervals and
 * ledger with the old ones, and no figure could be trusted. Throws a StoreAheadOfClockError that
 * says what to do.
 */
export function refuseStoreAheadOfClock(t: StoreTimes): void {
  if (t.newestStoredMs === null || t.newestStoredMs <= t.clockStartMs) return;
  const newest = new Date(t.newestStoredMs).toISOString();
  throw new StoreAheadOfClockError(
    `the store in ${t.storageDir} holds data up to ${newest}, after clock.start ` +
      `${new Date(t.clockStartMs).toISOString()} (clock.source: mqtt); a run from that start would mix ` +
      `with the earlier one. Use an empty storage.dir for a new run, or set clock.start to ${newest} or later ` +
      'to continue the earlier one.',
  );
}
