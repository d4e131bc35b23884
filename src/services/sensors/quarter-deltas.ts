import type { QuarterTime } from '../../domain/sensors/occupancy-time.js';
import { quarterStartMs, type SensorQuarterDelta, type SensorRef } from '../../domain/sensors/types.js';

/** Quarter deltas collected between flushes, merged per (sensor, quarter). */
export class QuarterDeltas {
  private readonly rows = new Map<string, SensorQuarterDelta>();

  get size(): number {
    return this.rows.size;
  }

  addValue(ref: SensorRef, tsMs: number, value: number): void {
    this.add(ref, quarterStartMs(tsMs), { valueSum: value, count: 1, occupiedMs: 0, observedMs: 0 });
  }

  addTimes(ref: SensorRef, quarters: readonly QuarterTime[]): void {
    for (const q of quarters) {
      this.add(ref, q.startMs, { valueSum: 0, count: 0, occupiedMs: q.occupiedMs, observedMs: q.observedMs });
    }
  }

  drain(): SensorQuarterDelta[] {
    const out = [...this.rows.values()];
    this.rows.clear();
    return out;
  }

  private add(
    ref: SensorRef,
    startMs: number,
    d: { valueSum: number; count: number; occupiedMs: number; observedMs: number },
  ): void {
    const key = `${ref.sensorId}|${startMs}`;
    const held = this.rows.get(key);
    this.rows.set(
      key,
      held
        ? {
            ...held,
            valueSum: held.valueSum + d.valueSum,
            count: held.count + d.count,
            occupiedMs: held.occupiedMs + d.occupiedMs,
            observedMs: held.observedMs + d.observedMs,
          }
        : {
            sensorId: ref.sensorId,
            siteId: ref.siteId,
            spaceId: ref.spaceId,
            kind: ref.kind,
            startMs,
            ...d,
          },
    );
  }
}
