import { describe, expect, it } from 'vitest';
import { cronExpression, nextRunAfter } from '../../../src/domain/time/next-run.js';

const t = (iso: string) => Date.parse(iso);

describe('nextRunAfter', () => {
  it('steps on whole multiples of the period', () => {
    expect(nextRunAfter({ everySeconds: 10 }, t('2026-01-01T00:00:05Z'))).toBe(t('2026-01-01T00:00:10Z'));
    expect(nextRunAfter({ everySeconds: 10 }, t('2026-01-01T00:00:10Z'))).toBe(t('2026-01-01T00:00:20Z'));
    expect(nextRunAfter({ everyMinutes: 15 }, t('2026-01-01T00:14:59Z'))).toBe(t('2026-01-01T00:15:00Z'));
    expect(nextRunAfter({ everyMinutes: 60, atSecond: 30 }, t('2026-01-01T00:00:31Z'))).toBe(
      t('2026-01-01T01:00:30Z'),
    );
  });

  it('runs daily jobs at local time in the given zone', () => {
    // 02:30 in Shanghai (UTC+8) is 18:30 UTC the day before.
    const timing = { dailyAt: '02:30', timezone: 'Asia/Shanghai' };
    expect(nextRunAfter(timing, t('2026-06-01T12:00:00Z'))).toBe(t('2026-06-01T18:30:00Z'));
    expect(nextRunAfter(timing, t('2026-06-01T18:30:00Z'))).toBe(t('2026-06-02T18:30:00Z'));
  });

  it('follows daylight-saving changes', () => {
    // London moves to UTC+1 on 2026-03-29: 03:00 local is 02:00 UTC after the change.
    const timing = { dailyAt: '03:00', timezone: 'Europe/London' };
    expect(nextRunAfter(timing, t('2026-03-28T12:00:00Z'))).toBe(t('2026-03-29T02:00:00Z'));
  });
});

describe('cronExpression', () => {
  it('translates timings to node-cron patterns', () => {
    expect(cronExpression({ everySeconds: 5 })).toEqual({ expression: '*/5 * * * * *' });
    expect(cronExpression({ everyMinutes: 15 })).toEqual({ expression: '0 */15 * * * *' });
    expect(cronExpression({ everyMinutes: 60, atSecond: 7 })).toEqual({ expression: '7 0 * * * *' });
    expect(cronExpression({ dailyAt: '02:30', timezone: 'Asia/Shanghai' })).toEqual({
      expression: '0 30 2 * * *',
      timezone: 'Asia/Shanghai',
    });
  });

  it('refuses periods that cron cannot follow evenly', () => {
    expect(() => cronExpression({ everyMinutes: 7 })).toThrow(/divisor of 60/);
  });
});
