import { describe, expect, it } from 'vitest';
import { SiteConfig } from '../../../src/config/schema/site.js';
import type { SensorQuarterDelta, SensorSample } from '../../../src/domain/sensors/types.js';
import { SensorService } from '../../../src/services/sensors/sensor-service.js';
import { MemorySensorStore } from '../../helpers/fakes/memory-sensor-store.js';
import { CapturingLogger, FakeBus, FakeClock, FakeScheduler } from '../ingest/fakes.js';

const T0 = Date.parse('2024-06-01T02:00:00Z');
const MIN = 60_000;

const site = SiteConfig.parse({
  id: 'sunny',
  name: 'Sunny Gardens',
  timezone: 'Asia/Shanghai',
  spaces: [
    {
      id: 'gym',
      type: 'gym',
      areaM2: 80,
      sensors: [
        { id: 'gym-occ', kind: 'occupancy', topic: 'qw/gym/occ', format: 'number', staleAfterMinutes: 60 },
        { id: 'gym-temp', kind: 'indoor-temperature', topic: 'qw/gym/temp', format: 'number' },
      ],
    },
  ],
});

/** A memory store whose writes fail, as on a full disk, while their counts of failures last. */
class FailingSensorStore extends MemorySensorStore {
  readonly fail = { samples: 0, quarters: 0 };

  override appendSamples(samples: readonly SensorSample[]): void {
    if (this.fail.samples > 0) {
      this.fail.samples--;
      throw new Error('database or disk is full');
    }
    super.appendSamples(samples);
  }

  override addQuarters(deltas: readonly SensorQuarterDelta[]): void {
    if (this.fail.quarters > 0) {
      this.fail.quarters--;
      throw new Error('database or disk is full');
    }
    super.addQuarters(deltas);
  }
}

/** Two hours of a motion sensor and a thermometer, with a flush after every minute. */
async function run(store: FailingSensorStore, failFrom: number) {
  const clock = new FakeClock(T0);
  const bus = new FakeBus(clock);
  const scheduler = new FakeScheduler();
  const log = new CapturingLogger();
  const service = new SensorService({
    bus,
    clock,
    log,
    scheduler,
    store,
    config: { sites: [site], rawRetentionDays: 35 },
  });
  await service.start();
  for (let minute = 0; minute < 120; minute++) {
    clock.nowMs = T0 + minute * MIN;
    if (minute === failFrom) Object.assign(store.fail, { samples: 3, quarters: 4 });
    if (minute % 7 === 0) bus.deliver('qw/gym/occ', minute % 14 === 0 ? '1' : '0');
    bus.deliver('qw/gym/temp', String(20 + (minute % 5) * 0.5));
    await scheduler.runAll();
  }
  await service.stop();
  return { service, log };
}

describe('SensorService when the store fails to write', () => {
  it('stores the same samples and quarter aggregates as a run whose store never failed', async () => {
    const reference = new FailingSensorStore();
    await run(reference, -1);
    const store = new FailingSensorStore();
    const { service, log } = await run(store, 30);

    expect(store.fail).toEqual({ samples: 0, quarters: 0 });
    const all = { siteId: 'sunny', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER };
    expect(store.quartersFor(all)).toEqual(reference.quartersFor(all));
    expect(store.quartersFor(all).length).toBeGreaterThan(0);
    for (const id of ['gym-occ', 'gym-temp'])
      expect(store.samplesFor(id, 0, Number.MAX_SAFE_INTEGER)).toEqual(
        reference.samplesFor(id, 0, Number.MAX_SAFE_INTEGER),
      );
    expect(service.stats()).toMatchObject({ pendingSamples: 0, writeFailures: 7, writeFailingSinceMs: null });
    expect(log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toHaveLength(1);
    expect(log.lines.filter((l) => l.msg?.includes('writes resumed'))).toHaveLength(1);
  });
});
