import { describe, expect, it } from 'vitest';
import { parseOutdoorForecast } from '../../../src/domain/forecast/outdoor-forecast-payload.js';

const HOUR = 3_600_000;

describe('parseOutdoorForecast', () => {
  it('reads a Home Assistant style forecast: hours with offsets, averaged within a UTC hour', () => {
    const r = parseOutdoorForecast(
      JSON.stringify({
        issuedAt: '2026-07-01T08:05:00+08:00',
        hourly: [
          { ts: '2026-07-01T09:00:00+08:00', temperatureC: 31.5, condition: 'sunny' },
          { ts: '2026-07-01T02:00:00Z', temperatureC: 32 },
          { ts: '2026-07-01T02:30:00Z', temperatureC: 33 },
        ],
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.forecast.issuedAtMs).toBe(Date.UTC(2026, 6, 1, 0, 5));
    expect([...r.forecast.byHour]).toEqual([
      [Date.UTC(2026, 6, 1, 1), 31.5],
      [Date.UTC(2026, 6, 1, 1) + HOUR, 32.5],
    ]);
  });

  it.each([
    ['not JSON', 'warm', 'not-json'],
    ['no hours', '{"issuedAt":"2026-07-01T00:00:00Z","hourly":[]}', 'invalid'],
    [
      'a text temperature',
      '{"issuedAt":"2026-07-01T00:00:00Z","hourly":[{"ts":"2026-07-01T00:00:00Z","temperatureC":"hot"}]}',
      'invalid',
    ],
    [
      'a time without offset',
      '{"issuedAt":"2026-07-01T00:00:00","hourly":[{"ts":"2026-07-01T00:00:00Z","temperatureC":20}]}',
      'invalid',
    ],
    [
      'an impossible temperature',
      '{"issuedAt":"2026-07-01T00:00:00Z","hourly":[{"ts":"2026-07-01T00:00:00Z","temperatureC":300}]}',
      'invalid',
    ],
  ])('refuses %s', (_what, text, reason) => {
    const r = parseOutdoorForecast(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });
});
