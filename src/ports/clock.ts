/** The only source of "now" in QuietWatt. The core never reads the wall clock itself. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}
