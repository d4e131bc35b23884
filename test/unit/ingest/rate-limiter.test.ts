import { describe, expect, it } from 'vitest';
import { LogRateLimiter } from '../../../src/domain/ingest/rate-limiter.js';

describe('rejection log rate limiter', () => {
  it('logs at most N lines per key per minute and reports the suppressed count next', () => {
    const limiter = new LogRateLimiter(2);
    const t = 1_000_000;
    const decisions = [0, 1, 2, 3, 4].map((i) => limiter.check('m1|negative', t + i * 1000));
    expect(decisions.map((d) => d.log)).toEqual([true, true, false, false, false]);
    // Other keys are not affected.
    expect(limiter.check('m2|negative', t + 5000).log).toBe(true);
    expect(limiter.check('m1|oversize', t + 5000).log).toBe(true);
    const next = limiter.check('m1|negative', t + 60_000);
    expect(next).toEqual({ log: true, suppressed: 3 });
    expect(limiter.check('m1|negative', t + 61_000)).toEqual({ log: true, suppressed: 0 });
  });
});
