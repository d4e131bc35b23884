import { describe, expect, it } from 'vitest';
import { IngestService, pendingLimitFor } from '../../../src/services/ingest/ingest-service.js';
import { createMemoryStores } from '../../helpers/fakes/index.js';
import { siteWithMeters } from '../../helpers/meter-site.js';
import { CapturingLogger, FakeBus, FakeClock, FakeScheduler } from './fakes.js';

const METERS = 10;
const SEC = 1_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');

const site = siteWithMeters(METERS);

describe('a paged flush under a flood without flow control (QoS 0)', () => {
  /** Delivers `rounds` readings of every meter in one turn; returns the most readings held meanwhile. */
  async function flood(rounds: number, maxPendingReadings?: number) {
    const clock = new FakeClock(T0 + rounds * SEC);
    const bus = new FakeBus(clock);
    const stores = createMemoryStores();
    const ingest = new IngestService({
      bus,
      clock,
      log: new CapturingLogger(),
      scheduler: new FakeScheduler(),
      readings: stores.readings,
      intervals: stores.intervals,
      meterState: stores.meterState,
      config: { sites: [site], rawRetentionDays: 35 },
      maxPayloadBytes: 512,
      ...(maxPendingReadings !== undefined ? { maxPendingReadings } : {}),
    });
    await ingest.start();
    // All in one turn of the event loop, as a socket full of QoS 0 messages is read: the paged flush
    // that starts at the pending limit writes its first page and then waits for a turn that does not
    // come.
    let mostBuffered = 0;
    for (let i = 0; i < rounds; i++)
      for (let m = 0; m < METERS; m++) {
        bus.deliver(`qw/m${m}`, JSON.stringify({ ts: T0 + i * SEC, energyKWh: 100 + i * 0.001 }));
        if ((i * METERS + m) % 1_000 === 0)
          mostBuffered = Math.max(mostBuffered, ingest.stats().pendingReadings);
      }
    const storedBeforeStop = stores.readings.countReadings();
    await ingest.stop();
    return { mostBuffered, storedBeforeStop, storedAfterStop: stores.readings.countReadings() };
  }

  it('writes everything at once past 120,000 buffered readings, so memory stays bounded', async () => {
    const rounds = 19_000;
    const total = rounds * METERS;
    const run = await flood(rounds);
    // Buffered and held together stay under the 120,000 of the buffer plus the 60,000 of a flush.
    expect(run.mostBuffered).toBeLessThan(180_000);
    // Without the bound only the first page would be written by now.
    expect(run.storedBeforeStop).toBeGreaterThanOrEqual(total - 120_000);
    expect(run.storedAfterStop).toBe(total);
  });

  it('scales the bound with a configured pending limit', async () => {
    const rounds = 5_000;
    const total = rounds * METERS;
    const run = await flood(rounds, 10_000);
    expect(run.mostBuffered).toBeLessThan(30_000);
    expect(run.storedBeforeStop).toBeGreaterThanOrEqual(total - 20_000);
    expect(run.storedAfterStop).toBe(total);
  });
});

describe('the pending limit for a flush interval', () => {
  it('is an interval of readings at 20,000 a second, from 60,000 to 200,000', () => {
    expect(pendingLimitFor(2)).toBe(60_000);
    expect(pendingLimitFor(5)).toBe(100_000);
    expect(pendingLimitFor(10)).toBe(200_000);
    expect(pendingLimitFor(60)).toBe(200_000);
  });
});
