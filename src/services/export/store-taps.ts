import type { SiteConfig } from '../../config/schema/site.js';
import { listSensors } from '../../domain/sensors/sensor-index.js';
import type { SensorRef } from '../../domain/sensors/types.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { PointSink, SeriesPoint } from '../../ports/series-export.js';
import type {
  CounterStore,
  IntervalRow,
  IntervalStore,
  SavingsLedgerStore,
  SensorStore,
  SetpointAuditStore,
} from '../../ports/stores.js';
import {
  intervalPoint,
  ledgerPoint,
  type RejectionSource,
  rejectionPoint,
  sensorPoint,
  setpointPoint,
} from './series-points.js';

/**
 * The store itself, with some methods replaced. Every other member is the store's own, bound to it,
 * so a tap stays a drop-in for the store it wraps.
 */
function withOverrides<T extends object>(store: T, overrides: Partial<T>): T {
  return new Proxy(store, {
    get(target, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export interface StoreTapsDeps {
  readonly sink: PointSink;
  /** The service's clock: rejection counts are stamped when they grew. */
  readonly clock: Clock;
  /** The sites in force (reloads add and remove sensors and meters). */
  readonly sites: () => readonly SiteConfig[];
  readonly log: Logger;
}

/**
 * Wraps the stores that the services write their records to, so that each record written also goes
 * to the time-series sink: what is exported is what was stored, with no change to the services.
 * A failure to export is logged and never reaches the writer of the record.
 */
export class StoreTaps {
  private sitesSeen: readonly SiteConfig[] | undefined;
  private sensorRefs = new Map<string, SensorRef>();
  private sources = new Map<string, RejectionSource>();

  constructor(private readonly deps: StoreTapsDeps) {}

  /** Interval energy: the stored total of each 15-minute interval touched, after the addition. */
  intervals(store: IntervalStore): IntervalStore {
    return withOverrides(store, {
      addIntervals: (rows: readonly IntervalRow[]) => {
        store.addIntervals(rows);
        this.safely('intervals', () => this.deps.sink.write(totalsAfter(store, rows)));
      },
    });
  }

  sensors(store: SensorStore): SensorStore {
    return withOverrides(store, {
      appendSamples: (samples) => {
        store.appendSamples(samples);
        this.safely('sensor values', () => {
          const refs = this.refs().sensors;
          const points: SeriesPoint[] = [];
          for (const s of samples) {
            const ref = refs.get(s.sensorId);
            if (ref) points.push(sensorPoint(s, ref));
          }
          this.deps.sink.write(points);
        });
      },
    });
  }

  ledger(store: SavingsLedgerStore): SavingsLedgerStore {
    return withOverrides(store, {
      upsertLedger: (rows) => {
        store.upsertLedger(rows);
        this.safely('savings', () => this.deps.sink.write(rows.map(ledgerPoint)));
      },
    });
  }

  /** A setpoint is written when decided, and written again (same point) when published and acknowledged. */
  audit(store: SetpointAuditStore): SetpointAuditStore {
    const again = (id: string): void =>
      this.safely('setpoints', () => {
        const entry = store.get(id);
        if (entry) this.deps.sink.write([setpointPoint(entry)]);
      });
    return withOverrides(store, {
      record: (entry) => {
        store.record(entry);
        this.safely('setpoints', () => this.deps.sink.write([setpointPoint(entry)]));
      },
      markPublished: (id, atMs) => {
        const changed = store.markPublished(id, atMs);
        if (changed) again(id);
        return changed;
      },
      markAcknowledged: (id, atMs) => {
        const changed = store.markAcknowledged(id, atMs);
        if (changed) again(id);
        return changed;
      },
    });
  }

  /**
   * Rejections as running totals per source and reason (a total survives restarts; the store keeps
   * it). The total is the store's own after the increment, not a count kept here, so a flush whose
   * transaction rolls back leaves no drift: its retry exports the stored total again.
   */
  rejections(store: CounterStore): CounterStore {
    return withOverrides(store, {
      increment: (sourceId, reason, by = 1) => {
        const total = store.increment(sourceId, reason, by);
        this.safely('rejections', () => {
          const source = this.refs().sources.get(sourceId);
          this.deps.sink.write([rejectionPoint(sourceId, reason, total, this.deps.clock.now(), source)]);
        });
        return total;
      },
    });
  }

  private safely(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.deps.log.warn({ err: String(error) }, `${what} not exported`);
    }
  }

  private refs(): { sensors: Map<string, SensorRef>; sources: Map<string, RejectionSource> } {
    const sites = this.deps.sites();
    if (sites !== this.sitesSeen) {
      this.sitesSeen = sites;
      this.sensorRefs = new Map(listSensors(sites).map((s) => [s.sensorId, s]));
      this.sources = new Map();
      for (const s of this.sensorRefs.values())
        this.sources.set(s.sensorId, { siteId: s.siteId, spaceId: s.spaceId, kind: 'sensor' });
      for (const site of sites)
        for (const space of site.spaces)
          for (const m of space.meters)
            this.sources.set(m.id, { siteId: site.id, spaceId: space.id, kind: 'meter' });
    }
    return { sensors: this.sensorRefs, sources: this.sources };
  }
}

/** The stored 15-minute totals of the intervals the rows touched, one read per meter. */
function totalsAfter(store: IntervalStore, rows: readonly IntervalRow[]): SeriesPoint[] {
  const touched = new Map<string, Set<number>>();
  for (const r of rows) {
    if (r.minutes !== 15) continue;
    const starts = touched.get(r.meterId) ?? new Set<number>();
    starts.add(r.startMs);
    touched.set(r.meterId, starts);
  }
  const points: SeriesPoint[] = [];
  for (const [meterId, starts] of touched) {
    const sorted = [...starts].sort((a, b) => a - b);
    const fromMs = sorted[0] ?? 0;
    const toMs = (sorted[sorted.length - 1] ?? 0) + 1;
    for (const row of store.intervalsFor({ meterId, minutes: 15, fromMs, toMs })) {
      if (starts.has(row.startMs)) points.push(intervalPoint(row));
    }
  }
  return points;
}
