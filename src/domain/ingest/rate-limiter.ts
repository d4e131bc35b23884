/** What to do with one log line. */
export interface RateDecision {
  readonly log: boolean;
  /** Lines suppressed for this key since the last one logged; report it in this line. */
  readonly suppressed: number;
}

interface KeyState {
  windowStartMs: number;
  logged: number;
  suppressed: number;
}

/**
 * At most `perMinute` log lines per key (meter + reason) per minute; the first line after a quiet
 * spell carries the count of lines suppressed. Time comes in as an argument.
 */
export class LogRateLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly perMinute: number,
    private readonly windowMs = 60_000,
  ) {}

  check(key: string, nowMs: number): RateDecision {
    let state = this.keys.get(key);
    if (!state) {
      state = { windowStartMs: nowMs, logged: 0, suppressed: 0 };
      this.keys.set(key, state);
    }
    if (nowMs - state.windowStartMs >= this.windowMs || nowMs < state.windowStartMs) {
      state.windowStartMs = nowMs;
      state.logged = 0;
    }
    if (state.logged >= this.perMinute) {
      state.suppressed += 1;
      return { log: false, suppressed: 0 };
    }
    state.logged += 1;
    const suppressed = state.suppressed;
    state.suppressed = 0;
    return { log: true, suppressed };
  }
}
