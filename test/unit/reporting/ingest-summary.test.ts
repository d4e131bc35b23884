import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../../src/config/schema/index.js';
import { emptyMeterStats, type MeterStats } from '../../../src/services/ingest/ingest-stats.js';
import { IngestSummary } from '../../../src/services/reporting/ingest-summary.js';
import { CapturingLogger, FakeScheduler } from '../ingest/fakes.js';

function sites(siteIds: readonly string[], spaceIds: readonly string[]): SiteConfig[] {
  return siteIds.map(
    (id) =>
      ({
        id,
        spaces: spaceIds.map((space) => ({ id: space, meters: [{ id: `${id}-${space}-meter` }] })),
      }) as unknown as SiteConfig,
  );
}

function stats(accepted: number, rejected: MeterStats['rejected'] = {}): MeterStats {
  return { ...emptyMeterStats(), accepted, rejected };
}

describe('the 15-minute ingest summary', () => {
  it('counts per site and space since the last line, a lobby in each of two sites apart', () => {
    const live = new Map<string, MeterStats>([
      ['elm-lobby-meter', stats(10, { 'malformed-json': 1 })],
      ['oak-lobby-meter', stats(4)],
    ]);
    const log = new CapturingLogger();
    const summary = new IngestSummary(
      { liveMeterStats: () => live },
      () => sites(['elm', 'oak'], ['lobby']),
      new FakeScheduler(),
      log,
    );
    summary.report();
    live.set('elm-lobby-meter', stats(13, { 'malformed-json': 3 }));
    summary.report();
    const [first, second] = log.lines;
    expect(first?.obj.spaces).toEqual({
      'elm/lobby': { readings: 10, rejected: 1 },
      'oak/lobby': { readings: 4, rejected: 0 },
    });
    expect(second?.obj.spaces).toEqual({
      'elm/lobby': { readings: 3, rejected: 2 },
      'oak/lobby': { readings: 0, rejected: 0 },
    });
    expect(second?.msg).toBe('readings in the last 15 min: elm/lobby 3 (2 rejected), oak/lobby 0');
  });

  it('names the spaces alone for one site', () => {
    const live = new Map([['elm-gym-meter', stats(2)]]);
    const log = new CapturingLogger();
    new IngestSummary(
      { liveMeterStats: () => live },
      () => sites(['elm'], ['gym']),
      new FakeScheduler(),
      log,
    ).report();
    expect(log.lines[0]?.msg).toBe('readings in the last 15 min: gym 2');
  });

  it('past 20 spaces: the totals and the silent spaces at info, each space at debug', () => {
    const spaceIds = Array.from({ length: 30 }, (_, i) => `s${i}`);
    const live = new Map<string, MeterStats>();
    // Spaces s0..s11 heard from, s12..s29 silent.
    for (let i = 0; i < 12; i++) live.set(`elm-s${i}-meter`, stats(5));
    const log = new CapturingLogger();
    new IngestSummary(
      { liveMeterStats: () => live },
      () => sites(['elm'], spaceIds),
      new FakeScheduler(),
      log,
    ).report();
    const info = log.lines.filter((l) => l.level === 'info');
    expect(info).toHaveLength(1);
    expect(info[0]?.msg).toBe(
      'readings in the last 15 min: 60 in 30 spaces, 0 rejected; none from s12, s13, s14, s15, s16, s17, s18, s19, s20, s21 and 8 more',
    );
    expect(info[0]?.obj).toMatchObject({ spaceCount: 30, readings: 60, rejected: 0, silent: 18 });
    const debug = log.lines.find((l) => l.level === 'debug');
    expect(Object.keys((debug?.obj.spaces ?? {}) as object)).toHaveLength(30);
  });
});
