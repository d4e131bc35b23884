import type { ControlConfig } from '../../config/schema/control.js';
import { discomfortKh, isUnderLit } from '../../domain/comfort/kpi.js';
import { spaceTypeControlOf } from '../../domain/control/space-type-rules.js';
import { priceAt } from '../../domain/tariff/tariff.js';
import type { Tariff } from '../../domain/tariff/types.js';
import { localTime } from '../model/calendar.js';
import type { CommunityModel, SpaceModel } from '../model/community.js';
import { DAYLIGHT_EFFICACY_LM_PER_W } from '../model/solar.js';
import { hvacCommandFor, lightingLevelFor } from '../model/space-step.js';
import type { CommunityState } from '../model/state.js';

/** What one run measured in one space. */
export interface SpaceMetrics {
  readonly spaceKey: string;
  readonly type: string;
  /** Lighting and HVAC energy as metered (life-safety equipment included), kWh. */
  lightingKWh: number;
  hvacKWh: number;
  /** Of which life-safety equipment (emergency lights, CO fans), kWh: never controlled. */
  lifeSafetyKWh: number;
  cost: number;
  /** Highest 15-minute mean of lighting + HVAC power, kW. */
  peakKW: number;
  /** Kelvin-hours outside the comfort band while people were present (conditioned spaces only). */
  discomfortKh: number;
  readonly conditioned: boolean;
  /** Hours with people present and the lit level below what the space type needs when occupied. */
  underLitHours: number;
  /** Under-lit occupied hours while a resident had the lights (or the service's hold after that). */
  manualUnderLitHours: number;
  occupiedHours: number;
  /** Changes of the command a device runs (from any source), summed over the space's devices. */
  commandChanges: number;
  devices: number;
}

export interface RunMetrics {
  readonly spaces: SpaceMetrics[];
  /** Community peak: highest 15-minute mean of the summed lighting + HVAC power, kW. */
  communityPeakKW: number;
  days: number;
}

interface Bucket {
  start: number;
  sumW: number[];
  steps: number;
}

const QUARTER_MS = 900_000;

/**
 * Measures a run step by step from the model's own state: energy and cost by end use, 15-minute
 * peaks, occupied discomfort, under-lit occupied time and command changes. People present means
 * someone in the space during the step (the count at its start): a person who arrives within a
 * step is counted from the next one, which is when an occupancy raise published on that arrival
 * takes effect in the simulation (the real path takes under two seconds).
 */
export class MetricsRecorder {
  readonly result: RunMetrics;
  private readonly spaces: {
    model: SpaceModel;
    m: SpaceMetrics;
    siteTz: string;
    occupiedPct: number;
    low: number;
    high: number;
    /** Only spaces with HVAC owe a comfort band: elsewhere nothing controls the temperature. */
    conditioned: boolean;
  }[] = [];
  private bucket: Bucket | undefined;
  private lastKey = new Map<string, string>();
  private firstMs: number | undefined;
  private lastMs = 0;

  constructor(
    private readonly model: CommunityModel,
    control: ControlConfig,
    private readonly tariff: Tariff,
    private readonly manual: (deviceId: string, tMs: number) => boolean = () => false,
  ) {
    for (const site of model.sites) {
      for (const space of site.spaces) {
        const tc = spaceTypeControlOf(control, space.type);
        this.spaces.push({
          model: space,
          siteTz: site.timezone,
          occupiedPct: tc.occupiedLevelPct,
          low: tc.comfort.comfortLowC,
          high: tc.comfort.comfortHighC,
          conditioned: space.devices.some((d) => d.kind === 'hvac'),
          m: {
            spaceKey: space.key,
            type: space.type,
            conditioned: space.devices.some((d) => d.kind === 'hvac'),
            lightingKWh: 0,
            hvacKWh: 0,
            lifeSafetyKWh: 0,
            cost: 0,
            peakKW: 0,
            discomfortKh: 0,
            underLitHours: 0,
            manualUnderLitHours: 0,
            occupiedHours: 0,
            commandChanges: 0,
            devices: space.devices.filter((d) => d.kind === 'lighting' || d.kind === 'hvac').length,
          },
        });
      }
    }
    this.result = { spaces: this.spaces.map((s) => s.m), communityPeakKW: 0, days: 0 };
  }

  /** One step: `before` holds the commands in force during it, `after` the power it drew. */
  observe(before: CommunityState, after: CommunityState): void {
    const t0 = before.tMs;
    const dtH = (after.tMs - t0) / 3_600_000;
    this.firstMs ??= t0;
    this.lastMs = after.tMs;
    const q = Math.floor(t0 / QUARTER_MS) * QUARTER_MS;
    if (!this.bucket || this.bucket.start !== q) {
      this.closeBucket();
      this.bucket = { start: q, sumW: this.spaces.map(() => 0), steps: 0 };
    }
    this.bucket.steps++;
    const siteCache = new Map<string, ReturnType<typeof localTime>>();
    this.spaces.forEach((s, i) => {
      const prev = before.spaces[s.model.key];
      const next = after.spaces[s.model.key];
      const siteState = after.sites[s.model.siteId];
      if (!prev || !next || !siteState || !this.bucket) return;
      const m = s.m;
      const powerW = next.lightingW + next.hvacW;
      m.lightingKWh += (next.lightingW * dtH) / 1000;
      m.hvacKWh += (next.hvacW * dtH) / 1000;
      m.lifeSafetyKWh += (next.lifeSafetyW * dtH) / 1000;
      m.cost += ((powerW * dtH) / 1000) * priceAt(this.tariff, t0, s.siteTz).pricePerKWh;
      this.bucket.sumW[i] = (this.bucket.sumW[i] ?? 0) + powerW;

      let at = siteCache.get(s.model.siteId);
      if (!at) {
        at = localTime(
          t0,
          s.siteTz,
          this.model.sites.find((x) => x.id === s.model.siteId)?.holidayRule ?? 'none',
        );
        siteCache.set(s.model.siteId, at);
      }
      let levelW = 0;
      let ratedW = 0;
      let manual = false;
      for (const d of s.model.devices) {
        let key: string | undefined;
        if (d.kind === 'lighting') {
          const level = lightingLevelFor(d, before.leases[d.id], t0, at);
          levelW += level * d.ratedPowerW;
          ratedW += d.ratedPowerW;
          key = String(level);
          if (this.manual(d.id, t0)) manual = true;
        } else if (d.kind === 'hvac') {
          const c = hvacCommandFor(d, before.leases[d.id], t0, at);
          key = c.mode === 'off' || c.mode === 'fan' ? c.mode : `${c.mode}:${c.setpointC}`;
        }
        if (key === undefined) continue;
        const last = this.lastKey.get(d.id);
        if (last !== undefined && last !== key) m.commandChanges++;
        this.lastKey.set(d.id, key);
      }
      if (prev.occupancy.count <= 0) return;
      m.occupiedHours += dtH;
      if (s.conditioned) {
        const tC = (prev.indoorC + next.indoorC) / 2;
        m.discomfortKh += discomfortKh(tC, s.low, s.high, dtH);
      }
      if (ratedW > 0) {
        const daylightLux = s.model.params.daylightFactor * siteState.now.ghiWm2 * DAYLIGHT_EFFICACY_LM_PER_W;
        const litPct = levelW / ratedW + (100 * daylightLux) / s.model.params.designLux;
        if (isUnderLit(litPct, s.occupiedPct)) {
          if (manual) m.manualUnderLitHours += dtH;
          else m.underLitHours += dtH;
        }
      }
    });
  }

  /** Closes the last 15-minute bucket and fixes the run's length. */
  finish(): RunMetrics {
    this.closeBucket();
    this.bucket = undefined;
    this.result.days = this.firstMs === undefined ? 0 : (this.lastMs - this.firstMs) / 86_400_000;
    return this.result;
  }

  private closeBucket(): void {
    const b = this.bucket;
    if (!b || b.steps === 0) return;
    let total = 0;
    this.spaces.forEach((s, i) => {
      const kW = (b.sumW[i] ?? 0) / b.steps / 1000;
      total += kW;
      if (kW > s.m.peakKW) s.m.peakKW = kW;
    });
    if (total > this.result.communityPeakKW) this.result.communityPeakKW = total;
  }
}
