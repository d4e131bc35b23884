import type { Clock } from '../../ports/clock.js';

/** Wall-clock time: the only place outside tests and benches where QuietWatt reads Date.now(). */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}
