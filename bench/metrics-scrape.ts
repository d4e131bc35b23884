/**
 * What one Prometheus scrape of /metrics holds the main thread for, at `--meters` meters (100 a
 * space, 100 spaces a site), with the series per meter (`http.metrics.perMeterUpTo` above the
 * meter count) and without them (the default of 2,000 below it). The metrics read the meters'
 * statistics live, as from the ingest service. A scrape is synchronous: its time is the event-loop
 * delay it causes.
 *
 *   npm run bench:scrape [-- --meters 100000 --runs 5]
 */
import type { MeterStatsView } from '../src/adapters/http/deps.js';
import { meterSpacesOf, serviceMetrics } from '../src/adapters/http/metrics.js';
import { metricsSources } from '../test/helpers/metrics-sources.js';
import { numberArg } from './args.js';

const METERS = numberArg('meters', 100_000);
const RUNS = numberArg('runs', 5);
const PER_SPACE = 100;
const SPACES_PER_SITE = 100;

const spaceCount = Math.ceil(METERS / PER_SPACE);
const sites = Array.from({ length: Math.ceil(spaceCount / SPACES_PER_SITE) }, (_, s) => ({
  id: `site-${s}`,
  spaces: Array.from({ length: Math.min(SPACES_PER_SITE, spaceCount - s * SPACES_PER_SITE) }, (_, p) => ({
    id: `space-${p}`,
    meters: [] as { id: string }[],
  })),
}));
const live = new Map<string, MeterStatsView>();
for (let i = 0; i < METERS; i++) {
  const space = Math.floor(i / PER_SPACE);
  const id = `meter-${i}`;
  sites[Math.floor(space / SPACES_PER_SITE)]?.spaces[space % SPACES_PER_SITE]?.meters.push({ id });
  live.set(id, {
    accepted: 1_000 + i,
    rejected: i % 10 === 0 ? { 'bad-json': 1 } : {},
    lastReadingTsMs: Date.now(),
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

console.log(
  `/metrics scrape at ${METERS.toLocaleString('en-US')} meters in ${spaceCount.toLocaleString('en-US')} spaces, ${RUNS} scrapes each`,
);
console.log('| series per meter | scrape ms (median / max) | text |');
console.log('|---|--:|--:|');
for (const perMeter of [true, false]) {
  const metrics = serviceMetrics(
    metricsSources({
      ingest: { stats: () => ({ meters: {} }), liveMeterStats: () => live, writerStats: () => ({}) },
      meterSpaces: () => meterSpacesOf({ sites }),
      perMeterUpTo: () => (perMeter ? METERS : 2_000),
    }),
  );
  const times: number[] = [];
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    bytes = (await metrics.registry.metrics()).length;
    times.push(performance.now() - t0);
  }
  metrics.stop();
  console.log(
    `| ${perMeter ? 'yes' : 'no (per space only)'} | ${median(times).toFixed(0)} / ${Math.max(...times).toFixed(0)} | ${(bytes / 1e6).toFixed(2)} MB |`,
  );
}
