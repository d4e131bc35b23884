/** The part of a clock a log line needs: milliseconds since the Unix epoch. */
export type NowMs = () => number;

/**
 * Where log lines take their time from. Under a simulated or lockstep clock a line about a simulated
 * day should carry that day, or the log cannot be read against the data; so once the service's clock
 * is known (`follow`), `time` is that clock's and the wall clock's moves to `wallTime`. Before that,
 * and under the system clock, `time` is the wall clock's as pino writes it by default.
 */
export class LogTime {
  private serviceNow: NowMs | undefined;

  constructor(private readonly wallNow: NowMs = Date.now) {}

  /** From now on, `time` is `now()` and `wallTime` the wall clock (ISO 8601). */
  follow(now: NowMs): void {
    this.serviceNow = now;
  }

  /** pino's `timestamp` option: a JSON fragment that pino splices into every line. */
  readonly timestamp = (): string => {
    const wallMs = this.wallNow();
    if (!this.serviceNow) return `,"time":${wallMs}`;
    return `,"time":${this.serviceNow()},"wallTime":"${new Date(wallMs).toISOString()}"`;
  };
}
