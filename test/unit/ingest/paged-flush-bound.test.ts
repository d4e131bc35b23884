import { describe, expect, it } from 'vitest';
import { IngestService, pendingLimitFor } from '../../../src/services/ingest/ingest-service.js';
import { createMemoryStores } from '../../helpers/fakes/index.js';
import { siteWithMeters } from '../../helpers/meter-site.js';
import { FakeBus, FakeClock, FakeScheduler, testIngestDeps } from './fakes.js';

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
    const ingest = new IngestService(
      testIngestDeps(
        { bus, clock, scheduler: new FakeScheduler(), stores, site },
        maxPendingReadings !== undefined ? { maxPendingReadings } : {},
      ),
    );
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

/** A bus with flow control: `deliver` waits out a hold as MQTT.js waits for a message's callback. */
class HoldingBus extends FakeBus {
  hold: Promise<unknown> | undefined;
  holds = 0;

  holdInbound(until: Promise<unknown>): void {
    this.holds += 1;
    this.hold = until;
  }
}

describe('a flood over a bus with flow control', () => {
  it('holds the bus back while a paged flush is behind, instead of writing everything at once', async () => {
    const limit = 10_000;
    const rounds = 5_000;
    const clock = new FakeClock(T0 + rounds * SEC);
    const bus = new HoldingBus(clock);
    const stores = createMemoryStores();
    const ingest = new IngestService(
      testIngestDeps(
        { bus, clock, scheduler: new FakeScheduler(), stores, site },
        { maxPendingReadings: limit },
      ),
    );
    await ingest.start();
    let mostBuffered = 0;
    let mostWrittenInOneDelivery = 0;
    for (let i = 0; i < rounds; i++)
      for (let m = 0; m < METERS; m++) {
        if (bus.hold !== undefined) {
          await bus.hold;
          bus.hold = undefined;
        }
        const before = stores.readings.countReadings();
        bus.deliver(`qw/m${m}`, JSON.stringify({ ts: T0 + i * SEC, energyKWh: 100 + i * 0.001 }));
        mostWrittenInOneDelivery = Math.max(
          mostWrittenInOneDelivery,
          stores.readings.countReadings() - before,
        );
        mostBuffered = Math.max(mostBuffered, ingest.stats().pendingReadings);
      }
    await ingest.stop();
    expect(bus.holds).toBeGreaterThan(0);
    // A page at most (2,500 readings or more, whole meters) in any one delivery: without the hold,
    // the delivery that reaches twice the limit writes all 20,000.
    expect(mostWrittenInOneDelivery).toBeLessThan(5_000);
    // What a flush holds and what came in meanwhile: each up to the limit and one round of meters.
    expect(mostBuffered).toBeLessThanOrEqual(2 * (limit + METERS));
    expect(stores.readings.countReadings()).toBe(rounds * METERS);
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
