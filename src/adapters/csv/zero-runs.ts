/** Consecutive rows reading exactly 0, which `--zero-missing` would read as gaps instead. */
export interface ZeroRuns {
  /** How many runs. */
  readonly runs: number;
  /** Rows in them, all runs together. */
  readonly rows: number;
  /** The longest run: its first row's time (ms since the epoch) and its length in rows. */
  readonly longestStartMs: number;
  readonly longestRows: number;
}

/** A run counts from this many rows... */
const MIN_RUN_ROWS = 2;
/** ...covering at least this long: a single zero hour in a quiet space can be real. */
const MIN_RUN_MINUTES = 60;

/**
 * Runs of zeros in a meter's rows, in file order; null when there are none. Many meters and exports
 * write 0 for "no reading": read as consumption, such a run is a building using nothing for hours,
 * which a baseline or a backtest then fits as if it were true.
 */
export function zeroRunsOf(
  rows: readonly { readonly startMs: number; readonly value: number | null }[],
  stepMinutes: number,
): ZeroRuns | null {
  const minRows = Math.max(MIN_RUN_ROWS, Math.ceil(MIN_RUN_MINUTES / stepMinutes));
  let runs = 0;
  let total = 0;
  let longestRows = 0;
  let longestStartMs = 0;
  let runStart = -1;
  const close = (end: number) => {
    const length = end - runStart;
    if (runStart >= 0 && length >= minRows) {
      runs++;
      total += length;
      if (length > longestRows) {
        longestRows = length;
        longestStartMs = rows[runStart]?.startMs ?? 0;
      }
    }
    runStart = -1;
  };
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]?.value === 0) {
      if (runStart < 0) runStart = i;
    } else close(i);
  }
  close(rows.length);
  return runs === 0 ? null : { runs, rows: total, longestStartMs, longestRows };
}
