import { describe, expect, it } from 'vitest';
import type { MeterStatsView } from '../../../src/adapters/http/deps.js';
import { meterSpacesOf, serviceMetrics } from '../../../src/adapters/http/metrics.js';
import { metricsSources } from '../../helpers/metrics-sources.js';

const sites = [
  {
    id: 'north',
    spaces: [
      { id: 'lobby', meters: [{ id: 'lobby-a' }, { id: 'lobby-b' }] },
      { id: 'garage', meters: [{ id: 'garage-a' }] },
    ],
  },
];

const live = new Map<string, MeterStatsView>([
  ['lobby-a', { accepted: 5, rejected: { 'bad-json': 1 }, lastReadingTsMs: 0 }],
  ['lobby-b', { accepted: 7, rejected: { 'bad-json': 2, 'too-old': 1 }, lastReadingTsMs: 0 }],
  ['garage-a', { accepted: 3, rejected: {}, lastReadingTsMs: null }],
  // Removed from the config by a reload, still in the service's statistics: in no space's total.
  ['gone', { accepted: 100, rejected: {}, lastReadingTsMs: null }],
]);

async function scrape(perMeterUpTo: number): Promise<{ text: string; copies: number }> {
  let copies = 0;
  const metrics = serviceMetrics(
    metricsSources({
      ingest: {
        stats: () => {
          copies++;
          return { meters: {} };
        },
        liveMeterStats: () => live,
        writerStats: () => ({ pendingReadings: 4 }),
      },
      meterSpaces: () => meterSpacesOf({ sites }),
      perMeterUpTo: () => perMeterUpTo,
    }),
  );
  try {
    return { text: await metrics.registry.metrics(), copies };
  } finally {
    metrics.stop();
  }
}

describe('meter metrics per space, and per meter up to a limit', () => {
  it('sums every configured meter of a space, by reason, reading the live statistics', async () => {
    const { text, copies } = await scrape(10);
    expect(copies).toBe(0);
    expect(text).toContain('quietwatt_space_readings_ingested_total{site="north",space="lobby"} 12');
    expect(text).toContain('quietwatt_space_readings_ingested_total{site="north",space="garage"} 3');
    expect(text).toContain(
      'quietwatt_space_readings_rejected_total{site="north",space="lobby",reason="bad-json"} 3',
    );
    expect(text).toContain(
      'quietwatt_space_readings_rejected_total{site="north",space="lobby",reason="too-old"} 1',
    );
    expect(text).not.toContain('space="garage",reason');
    expect(text).toContain('quietwatt_readings_ingested_total{meter="lobby-b"} 7');
    expect(text).toContain('quietwatt_meters_stale 2');
    expect(text).toContain('quietwatt_store_write_pending{writer="ingest"} 4');
  });

  it('drops the per-meter series past the limit and keeps the per-space totals', async () => {
    const { text } = await scrape(3);
    expect(text).not.toMatch(/quietwatt_readings_ingested_total\{/);
    expect(text).not.toMatch(/quietwatt_readings_rejected_total\{/);
    expect(text).toContain('quietwatt_space_readings_ingested_total{site="north",space="lobby"} 12');
    expect(text).toContain('quietwatt_meters_stale 2');
  });

  it('maps meters to spaces once per config in force', () => {
    const config = { sites };
    expect(meterSpacesOf(config)).toBe(meterSpacesOf({ sites }));
    expect(meterSpacesOf(config).get('garage-a')).toEqual({ siteId: 'north', spaceId: 'garage' });
    expect(meterSpacesOf({ sites: [...sites] })).not.toBe(meterSpacesOf(config));
  });
});
