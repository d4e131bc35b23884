import { checkQuarterDelta, checkSample } from '../../../src/adapters/sqlite/sensor-store.js';
import {
  hourlyMeanTemperature,
  hourlyOccupancy,
  spaceOccupancyByQuarter,
} from '../../../src/domain/sensors/aggregate.js';
import type {
  HourlyTemperature,
  OccupancyFraction,
  SensorKind,
  SensorQuarter,
  SensorQuarterDelta,
  SensorSample,
} from '../../../src/domain/sensors/types.js';
import type { SensorStore } from '../../../src/ports/stores.js';

/** In-memory SensorStore with the same contract as the SQLite one. */
export class MemorySensorStore implements SensorStore {
  private readonly samples = new Map<string, SensorSample>();
  private readonly quarters = new Map<string, SensorQuarter>();

  appendSamples(samples: readonly SensorSample[]): void {
    for (const s of samples) checkSample(s);
    for (const s of samples) {
      const key = `${s.sensorId}|${s.tsMs}`;
      if (!this.samples.has(key)) this.samples.set(key, { ...s });
    }
  }

  addQuarters(deltas: readonly SensorQuarterDelta[]): void {
    for (const d of deltas) checkQuarterDelta(d);
    for (const d of deltas) {
      const key = `${d.sensorId}|${d.startMs}`;
      const held = this.quarters.get(key);
      const add = { occupiedMs: Math.round(d.occupiedMs), observedMs: Math.round(d.observedMs) };
      this.quarters.set(
        key,
        held
          ? {
              ...held,
              valueSum: held.valueSum + d.valueSum,
              count: held.count + d.count,
              occupiedMs: held.occupiedMs + add.occupiedMs,
              observedMs: held.observedMs + add.observedMs,
            }
          : { ...d, ...add },
      );
    }
  }

  pruneSamplesBefore(cutoffMs: number): number {
    let n = 0;
    for (const [key, s] of this.samples) {
      if (s.tsMs < cutoffMs) {
        this.samples.delete(key);
        n++;
      }
    }
    return n;
  }

  latestSamples(): SensorSample[] {
    const latest = new Map<string, SensorSample>();
    for (const s of this.samples.values()) {
      const held = latest.get(s.sensorId);
      if (!held || s.tsMs > held.tsMs) latest.set(s.sensorId, s);
    }
    return [...latest.values()].sort((a, b) =>
      a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0,
    );
  }

  samplesFor(sensorId: string, fromMs: number, toMs: number): SensorSample[] {
    return [...this.samples.values()]
      .filter((s) => s.sensorId === sensorId && s.tsMs >= fromMs && s.tsMs < toMs)
      .sort((a, b) => a.tsMs - b.tsMs);
  }

  quartersFor(query: {
    readonly siteId: string;
    readonly spaceId?: string | null;
    readonly kind?: SensorKind;
    readonly fromMs: number;
    readonly toMs: number;
  }): SensorQuarter[] {
    return [...this.quarters.values()]
      .filter(
        (q) =>
          q.siteId === query.siteId &&
          (query.spaceId === undefined || q.spaceId === query.spaceId) &&
          (query.kind === undefined || q.kind === query.kind) &&
          q.startMs >= query.fromMs &&
          q.startMs < query.toMs,
      )
      .sort(
        (a, b) => a.startMs - b.startMs || (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0),
      );
  }

  occupancyFractionFor(
    space: { readonly siteId: string; readonly spaceId: string },
    fromMs: number,
    toMs: number,
    minutes: 15 | 60 = 15,
  ): OccupancyFraction[] {
    const quarters = spaceOccupancyByQuarter(
      this.quartersFor({ siteId: space.siteId, spaceId: space.spaceId, kind: 'occupancy', fromMs, toMs }),
    );
    return minutes === 60 ? hourlyOccupancy(quarters) : quarters;
  }

  outdoorTemperatureHourly(siteId: string, fromMs: number, toMs: number): HourlyTemperature[] {
    return hourlyMeanTemperature(this.quartersFor({ siteId, kind: 'outdoor-temperature', fromMs, toMs }));
  }
}
