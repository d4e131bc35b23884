import { describe, expect, it } from 'vitest';
import { FlushPace } from '../../../src/services/ingest/flush-pace.js';
import { type IngestDeps, IngestService } from '../../../src/services/ingest/ingest-service.js';
import { createMemoryStores } from '../../helpers/fakes/index.js';
import { siteWithMeters } from '../../helpers/meter-site.js';
import { FakeBus, FakeClock, FakeScheduler, testIngestDeps } from './fakes.js';

const options = {
  intervalMs: 2_000,
  writeShare: 0.2,
  mostWaitMs: 30_000,
  pendingLimit: 60_000,
  loadedPendingLimit: 200_000,
};

describe('FlushPace', () => {
  it('lets every timed flush write while writes are cheap', () => {
    const pace = new FlushPace(options);
    expect(pace.due(0)).toBe(true);
    pace.wrote(15, 1_000);
    expect(pace.loaded).toBe(false);
    expect(pace.due(1_001)).toBe(true);
    expect(pace.pendingLimit()).toBe(60_000);
  });

  it('under load, waits until writing is back to its share of the time', () => {
    const pace = new FlushPace(options);
    // 1.2 s of writes is 60 % of a 2 s interval: at a fifth, 4.8 s of rest follow.
    pace.wrote(1_200, 10_000);
    expect(pace.loaded).toBe(true);
    expect(pace.due(12_000)).toBe(false);
    expect(pace.due(14_799)).toBe(false);
    expect(pace.due(14_800)).toBe(true);
    expect(pace.pendingLimit()).toBe(200_000);
  });

  it('never waits longer than its bound, and is back to normal once writes are cheap again', () => {
    const pace = new FlushPace(options);
    pace.wrote(60_000, 0);
    expect(pace.due(29_999)).toBe(false);
    expect(pace.due(30_000)).toBe(true);
    pace.wrote(100, 31_000);
    expect(pace.due(31_000)).toBe(true);
    expect(pace.pendingLimit()).toBe(60_000);
  });

  it('keeps a configured pending limit larger than the loaded one', () => {
    const pace = new FlushPace({ ...options, pendingLimit: 300_000 });
    pace.wrote(2_000, 0);
    expect(pace.pendingLimit()).toBe(300_000);
  });
});

describe('an ingest service paced by its writes', () => {
  const T0 = Date.parse('2026-06-01T00:00:00Z');
  const METERS = 4;

  /** Each readings write takes `writeMs` of the clock's time, as a slow store would. */
  async function paced(writeMs: number, extra: Partial<IngestDeps>, meters = METERS) {
    const clock = new FakeClock(T0);
    const bus = new FakeBus(clock);
    const stores = createMemoryStores();
    const appendReadings = stores.readings.appendReadings.bind(stores.readings);
    stores.readings.appendReadings = (readings) => {
      clock.nowMs += writeMs;
      appendReadings(readings);
    };
    const scheduler = new FakeScheduler();
    const ingest = new IngestService(
      testIngestDeps(
        { bus, clock, scheduler, stores, site: siteWithMeters(meters) },
        { flushEverySeconds: 2, ...extra },
      ),
    );
    await ingest.start();
    const stored = () => stores.readings.countReadings();
    let round = 0;
    /** One reading per meter, then the timed flush after `afterMs`; returns the readings stored. */
    const tick = async (afterMs: number) => {
      round++;
      for (let m = 0; m < METERS; m++)
        bus.deliver(`qw/m${m}`, JSON.stringify({ ts: T0 + round * 60_000, energyKWh: 100 + round }));
      clock.nowMs += afterMs;
      await scheduler.runAll();
      return stored();
    };
    return { tick, stored, bus, ingest, stop: () => ingest.stop() };
  }

  it('waits out its rest after a slow write, then writes what came meanwhile', async () => {
    // 1 s of writing is half of the 2 s interval: at a fifth, 4 s of rest follow.
    const run = await paced(1_000, { loadedWriteShare: 0.2 });
    expect(await run.tick(2_000)).toBe(METERS);
    expect(await run.tick(2_000)).toBe(METERS);
    expect(await run.tick(2_000)).toBe(3 * METERS);
    await run.stop();
    expect(run.stored()).toBe(3 * METERS);
  });

  it('writes on every tick without a write share, however slow the store', async () => {
    const run = await paced(1_000, {});
    expect(await run.tick(2_000)).toBe(METERS);
    expect(await run.tick(2_000)).toBe(2 * METERS);
    await run.stop();
  });

  it('writes on every tick while writes are cheap', async () => {
    const run = await paced(10, { loadedWriteShare: 0.2 });
    expect(await run.tick(2_000)).toBe(METERS);
    expect(await run.tick(2_000)).toBe(2 * METERS);
    await run.stop();
  });

  it('still flushes once as many meters changed as its normal limit allows readings', async () => {
    const run = await paced(1_000, { loadedWriteShare: 0.2, maxPendingReadings: 10 }, 30);
    // One slow flush: loaded, so the pending limit is 200,000 readings.
    expect(await run.tick(2_000)).toBe(METERS);
    expect(run.ingest.stats().flushPaced).toBe(true);
    // Nine other meters change: fewer than the normal limit, nothing is written.
    const first = (m: number) => run.bus.deliver(`qw/m${m}`, JSON.stringify({ ts: T0, energyKWh: 100 }));
    for (let m = METERS; m < METERS + 9; m++) first(m);
    expect(run.stored()).toBe(METERS);
    // The tenth starts a flush, though its 10 readings are far below 200,000.
    first(METERS + 9);
    expect(run.stored()).toBe(METERS + 10);
    await run.stop();
  });
});
