import { describe, expect, it } from 'vitest';
import { IngestService } from '../../../src/services/ingest/ingest-service.js';
import { createMemoryStores } from '../../helpers/fakes/index.js';
import { siteWithMeters } from '../../helpers/meter-site.js';
import { CapturingLogger, FakeBus, FakeClock, FakeScheduler } from './fakes.js';

const METERS = 10;
const SEC = 1_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');

const site = siteWithMeters(METERS);

describe('a paged flush under a flood without flow control (QoS 0)', () => {
  it('writes everything at once past 120,000 buffered readings, so memory stays bounded', async () => {
    const rounds = 19_000;
    const clock = new FakeClock(T0 + rounds * SEC);
    const bus = new FakeBus(clock);
    const scheduler = new FakeScheduler();
    const stores = createMemoryStores();
    const ingest = new IngestService({
      bus,
      clock,
      log: new CapturingLogger(),
      scheduler,
      readings: stores.readings,
      intervals: stores.intervals,
      meterState: stores.meterState,
      config: { sites: [site], rawRetentionDays: 35 },
      maxPayloadBytes: 512,
    });
    await ingest.start();
    // All in one turn of the event loop, as a socket full of QoS 0 messages is read: the paged flush
    // that starts at 60,000 writes its first page and then waits for a turn that does not come.
    let mostBuffered = 0;
    for (let i = 0; i < rounds; i++)
      for (let m = 0; m < METERS; m++) {
        bus.deliver(`qw/m${m}`, JSON.stringify({ ts: T0 + i * SEC, energyKWh: 100 + i * 0.001 }));
        if ((i * METERS + m) % 1_000 === 0)
          mostBuffered = Math.max(mostBuffered, ingest.stats().pendingReadings);
      }
    const total = rounds * METERS;
    // Buffered and held together stay under the 120,000 of the buffer plus the 60,000 of a flush.
    expect(mostBuffered).toBeLessThan(180_000);
    // Without the bound only the first page would be written by now.
    expect(stores.readings.countReadings()).toBeGreaterThanOrEqual(total - 120_000);
    await ingest.stop();
    expect(stores.readings.countReadings()).toBe(total);
  });
});
