/**
 * Comfort per space over a period, occupied time only, counted as the savings bench counts it
 * (src/domain/comfort/kpi.ts): Kelvin-hours of indoor temperature outside the space type's comfort
 * band (spaces with HVAC), and occupied hours with less light than the type needs when occupied.
 *
 * Occupied time comes from the occupancy sensors' 15-minute quarters; temperature from the indoor
 * sensors' quarters. The light in a space is what its illuminance sensor measured, as a share of
 * the lights' full output at that sensor, where both are known; otherwise the level QuietWatt had
 * in force (active, published, unexpired), since without that measurement the planner never dims
 * for daylight. Hours when a device ran its own schedule are not counted as under-lit.
 */

import type { ControlConfig } from '../../config/schema/control.js';
import type { SiteConfig } from '../../config/schema/site.js';
import { discomfortKh, isUnderLit } from '../../domain/comfort/kpi.js';
import { spaceTypeControlOf } from '../../domain/control/space-type-rules.js';
import type { SensorQuarter } from '../../domain/sensors/types.js';
import type { ComfortKpi, ComfortView } from '../../ports/savings-view.js';
import type {
  KeyValueStore,
  SensorStore,
  SetpointAuditEntry,
  SetpointAuditStore,
} from '../../ports/stores.js';
import { fullOutputLuxKey } from '../control/daylight.js';

const QUARTER_MS = 900_000;
const QUARTER_H = 0.25;
/** Longest lease: an entry decided this long before the range may still be in force in it. */
const LOOKBACK_MS = 60 * 60_000;
/** Longest range one query may cover, so a request stays short. */
export const MAX_COMFORT_RANGE_MS = 366 * 86_400_000;

export interface ComfortViewDeps {
  readonly sensors: Pick<SensorStore, 'quartersFor' | 'occupancyFractionFor'>;
  readonly audit: Pick<SetpointAuditStore, 'query'>;
  readonly settings: KeyValueStore;
  readonly config: () => { readonly sites: readonly SiteConfig[]; readonly control: ControlConfig };
}

/** Mean value per quarter over the sensors of one kind. */
function meanByQuarter(quarters: readonly SensorQuarter[]): Map<number, number> {
  const acc = new Map<number, { sum: number; n: number }>();
  for (const q of quarters) {
    if (q.count <= 0) continue;
    const a = acc.get(q.startMs) ?? { sum: 0, n: 0 };
    a.sum += q.valueSum;
    a.n += q.count;
    acc.set(q.startMs, a);
  }
  return new Map([...acc].map(([t, a]) => [t, a.sum / a.n]));
}

/** The lighting level QuietWatt had in force at `tMs` per device, from its audit entries (oldest first). */
function levelsAt(entries: readonly SetpointAuditEntry[], tMs: number): number[] | undefined {
  const latest = new Map<string, SetpointAuditEntry>();
  for (const e of entries) {
    if (e.decidedAtMs > tMs) break;
    latest.set(e.deviceId, e);
  }
  const levels: number[] = [];
  for (const e of latest.values()) {
    if (e.validUntilMs <= tMs) continue;
    const level = (JSON.parse(e.valueJson) as { levelPct?: unknown }).levelPct;
    if (typeof level === 'number') levels.push(level);
  }
  return levels.length > 0 ? levels : undefined;
}

export class SensorComfortView implements ComfortView {
  constructor(private readonly deps: ComfortViewDeps) {}

  comfort(query: {
    readonly fromMs: number;
    readonly toMs: number;
    readonly siteId?: string;
    readonly spaceId?: string;
  }): ComfortKpi[] {
    if (!(query.toMs > query.fromMs)) return [];
    if (query.toMs - query.fromMs > MAX_COMFORT_RANGE_MS) {
      throw new RangeError(
        `comfort ranges are at most 366 days, got ${(query.toMs - query.fromMs) / 86_400_000} days`,
      );
    }
    const { sites, control } = this.deps.config();
    const out: ComfortKpi[] = [];
    for (const site of sites) {
      if (query.siteId !== undefined && site.id !== query.siteId) continue;
      for (const space of site.spaces) {
        if (query.spaceId !== undefined && space.id !== query.spaceId) continue;
        out.push(this.space(site, space, spaceTypeControlOf(control, space.type), query.fromMs, query.toMs));
      }
    }
    return out;
  }

  private space(
    site: SiteConfig,
    space: SiteConfig['spaces'][number],
    tc: ReturnType<typeof spaceTypeControlOf>,
    fromMs: number,
    toMs: number,
  ): ComfortKpi {
    const ref = { siteId: site.id, spaceId: space.id };
    const occupancy = this.deps.sensors.occupancyFractionFor(ref, fromMs, toMs, 15);
    const conditioned = space.devices.some((d) => d.kind === 'hvac');
    const temps = conditioned
      ? meanByQuarter(this.deps.sensors.quartersFor({ ...ref, kind: 'indoor-temperature', fromMs, toMs }))
      : new Map<number, number>();
    const lights = space.devices.filter((d) => d.kind === 'lighting');
    const fullOutputLux = this.fullOutputLux(site.id, space);
    const lux =
      fullOutputLux !== undefined
        ? meanByQuarter(this.deps.sensors.quartersFor({ ...ref, kind: 'illuminance', fromMs, toMs }))
        : new Map<number, number>();
    const entries =
      lights.length > 0
        ? this.deps.audit
            .query({ ...ref, fromMs: fromMs - LOOKBACK_MS, toMs })
            .filter(
              (e) =>
                e.mode === 'active' && e.publishedAtMs !== null && lights.some((d) => d.id === e.deviceId),
            )
        : [];

    let occupiedHours = 0;
    let discomfort = 0;
    let underLit = 0;
    for (const o of occupancy) {
      const hours = o.fraction * o.observed * QUARTER_H;
      if (!(hours > 0)) continue;
      const q = Math.floor(o.startMs / QUARTER_MS) * QUARTER_MS;
      occupiedHours += hours;
      const t = temps.get(q);
      if (t !== undefined)
        discomfort += discomfortKh(t, tc.comfort.comfortLowC, tc.comfort.comfortHighC, hours);
      if (lights.length === 0) continue;
      const measured = lux.get(q);
      let litPct: number | undefined;
      if (measured !== undefined && fullOutputLux !== undefined) litPct = (100 * measured) / fullOutputLux;
      else {
        const levels = levelsAt(entries, q);
        litPct = levels ? levels.reduce((s, v) => s + v, 0) / levels.length : undefined;
      }
      if (litPct !== undefined && isUnderLit(litPct, tc.occupiedLevelPct)) underLit += hours;
    }
    return {
      siteId: site.id,
      spaceId: space.id,
      discomfortKh: discomfort,
      underLitOccupiedHours: underLit,
      occupiedHours,
    };
  }

  /** Lux of the space's lights at full output at its illuminance sensor, when every light's is known. */
  private fullOutputLux(siteId: string, space: SiteConfig['spaces'][number]): number | undefined {
    if (!space.sensors.some((s) => s.kind === 'illuminance')) return undefined;
    const lights = space.devices.filter((d) => d.kind === 'lighting');
    if (lights.length === 0) return undefined;
    let sum = 0;
    for (const d of lights) {
      const lux =
        d.fullOutputLux ?? Number(this.deps.settings.get(fullOutputLuxKey(`${siteId}/${space.id}/${d.id}`)));
      if (!Number.isFinite(lux) || lux <= 0) return undefined;
      sum += lux;
    }
    return sum;
  }
}
