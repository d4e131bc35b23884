/** Deletes what retention allows, a bounded batch at a time, so no call holds the event loop long. */
export interface RetentionStore {
  /**
   * Raw readings with a timestamp before the cutoff, meter by meter in meter-id order after
   * `afterMeterId` ('' to start), at most `maxRows` of them and at most `maxRows` meters looked at.
   * Returns the count deleted and where to continue, or no cursor when every meter has been gone
   * through.
   */
  pruneReadings(
    beforeMs: number,
    maxRows: number,
    afterMeterId: string,
  ): { readonly removed: number; readonly nextCursor?: string };
  /** Raw sensor samples before the cutoff, oldest first (the 15-minute aggregates stay). */
  pruneSensorSamples(beforeMs: number, maxRows: number): number;
  /**
   * Setpoint audit entries decided before the cutoff, except each device's entries within
   * `deviceTailMs` of its newest one (a restart restores the device from them).
   */
  pruneAudit(beforeMs: number, deviceTailMs: number, maxRows: number): number;
  /** Alerts cleared before the cutoff; open alerts are never pruned. */
  pruneClearedAlerts(beforeMs: number, maxRows: number): number;
  /** Operator commands answered before the cutoff. */
  pruneCommands(beforeMs: number, maxRows: number): number;
  /**
   * Looks at up to `maxRows` model versions after `afterCursor` (0 to start) and deletes those older
   * than the newest `keep` of their model, unless a savings ledger row names the version. Returns the
   * count deleted and where to continue, or no cursor when the registry has been gone through.
   */
  pruneModelVersions(
    keep: number,
    maxRows: number,
    afterCursor: number,
  ): { readonly removed: number; readonly nextCursor?: number };
}
