import { localTime } from '../model/calendar.js';
import type { CommunityModel, DeviceModel, SpaceModel } from '../model/community.js';
import { hvacCommandFor } from '../model/space-step.js';
import type { CommunityState } from '../model/state.js';

/** The side a scenario stresses: cooling in a heat wave, heating in a cold snap. */
export type DesignMode = 'cool' | 'heat';

/** How hard a space's units worked in its design hour. */
export interface DesignHour {
  readonly spaceKey: string;
  /** Start of the hour, ms; undefined when the units never ran a qualifying hour. */
  readonly hourStartMs?: number;
  readonly outdoorC: number;
  /** Mean share of the units' capacity in use over the hour, 0..1 (compressor output / capacity). */
  readonly capacityFraction: number;
  /** Mean indoor temperature over the hour, °C. */
  readonly indoorC: number;
}

interface HourSums {
  startMs: number;
  steps: number;
  /** Time covered, ms: only a whole hour counts. */
  coveredMs: number;
  outdoorC: number;
  fraction: number;
  indoorC: number;
  /** Every step of the hour had the units in the design mode. */
  allActive: boolean;
  /** The units had run in the design mode for `WARM_UP_HOURS` already when this hour began. */
  warm: boolean;
}

const HOUR_MS = 3_600_000;
/**
 * Hours a unit must have run before an hour counts as a design hour: the pick-up from the night's
 * setback runs any unit at full output for a while (a room with a large heat capacity for hours).
 */
export const WARM_UP_HOURS = 3;

/**
 * Finds, per conditioned space, the design hour of a run: the hottest (cooling) or coldest (heating)
 * whole hour in which every unit of the space ran in that mode, not counting the first
 * `WARM_UP_HOURS` of each run of the units (the pick-up from the night's setback is not the load a
 * unit is sized for), and
 * how much of the units' capacity they used in it. Capacity is what the simulator's units deliver at
 * full compressor power at that outdoor temperature, so the share in use is the compressor's share of
 * its rated input (the fans' share aside).
 */
export class CapacityRecorder {
  private readonly spaces: {
    model: SpaceModel;
    tz: string;
    units: (DeviceModel & { kind: 'hvac' })[];
    fanW: number;
    compressorW: number;
    activeSinceMs?: number | undefined;
    hour?: HourSums | undefined;
    best?: HourSums;
  }[] = [];

  /** Hourly mean outdoor temperature of the first site: the run's hottest (coldest) hour, °C. */
  private outdoorHour: { startMs: number; sumC: number; steps: number } | undefined;
  private extremeC: number | undefined;

  constructor(
    private readonly model: CommunityModel,
    private readonly mode: DesignMode,
  ) {
    for (const site of model.sites)
      for (const space of site.spaces) {
        const units = space.devices.filter((d): d is DeviceModel & { kind: 'hvac' } => d.kind === 'hvac');
        if (units.length === 0) continue;
        const ratedW = units.reduce((a, d) => a + d.ratedPowerW, 0);
        const fanW = units.reduce((a, d) => a + d.ratedPowerW * d.fanShare, 0);
        this.spaces.push({
          model: space,
          tz: site.timezone,
          units,
          fanW,
          compressorW: ratedW - fanW,
        });
      }
  }

  /** One step: `before` holds the commands and weather in force during it, `after` the power it drew. */
  observe(before: CommunityState, after: CommunityState): void {
    const t0 = before.tMs;
    const hourStart = Math.floor(t0 / HOUR_MS) * HOUR_MS;
    const first = this.model.sites[0] && before.sites[this.model.sites[0].id];
    if (first) {
      if (this.outdoorHour?.startMs !== hourStart) {
        this.closeOutdoorHour();
        this.outdoorHour = { startMs: hourStart, sumC: 0, steps: 0 };
      }
      this.outdoorHour.sumC += first.now.outdoorC;
      this.outdoorHour.steps++;
    }
    for (const s of this.spaces) {
      const prev = before.spaces[s.model.key];
      const next = after.spaces[s.model.key];
      const site = before.sites[s.model.siteId];
      const siteModel = this.model.sites.find((x) => x.id === s.model.siteId);
      if (!prev || !next || !site || !siteModel) continue;
      const at = localTime(t0, s.tz, siteModel.holidayRule);
      const active = s.units.every((d) => hvacCommandFor(d, before.leases[d.id], t0, at).mode === this.mode);
      if (!active) s.activeSinceMs = undefined;
      else s.activeSinceMs ??= t0;
      if (s.hour?.startMs !== hourStart) {
        this.close(s);
        s.hour = {
          startMs: hourStart,
          steps: 0,
          coveredMs: 0,
          outdoorC: 0,
          fraction: 0,
          indoorC: 0,
          allActive: true,
          warm: s.activeSinceMs !== undefined && s.activeSinceMs <= hourStart - WARM_UP_HOURS * HOUR_MS,
        };
      }
      const h = s.hour;
      h.steps++;
      h.coveredMs += after.tMs - t0;
      h.outdoorC += site.now.outdoorC;
      h.indoorC += (prev.indoorC + next.indoorC) / 2;
      h.fraction += s.compressorW > 0 ? Math.max(0, next.hvacW - s.fanW) / s.compressorW : 0;
      if (!active) h.allActive = false;
    }
  }

  /** The hottest (cooling) or coldest (heating) hourly mean outdoor temperature of the run, °C. */
  extremeOutdoorC(): number {
    this.closeOutdoorHour();
    this.outdoorHour = undefined;
    return this.extremeC ?? Number.NaN;
  }

  private closeOutdoorHour(): void {
    const h = this.outdoorHour;
    if (!h || h.steps === 0) return;
    const c = h.sumC / h.steps;
    if (this.extremeC === undefined || (this.mode === 'cool' ? c > this.extremeC : c < this.extremeC))
      this.extremeC = c;
  }

  /** Each conditioned space's design hour. */
  finish(): DesignHour[] {
    return this.spaces.map((s) => {
      this.close(s);
      s.hour = undefined;
      const b = s.best;
      if (!b)
        return {
          spaceKey: s.model.key,
          outdoorC: Number.NaN,
          capacityFraction: Number.NaN,
          indoorC: Number.NaN,
        };
      return {
        spaceKey: s.model.key,
        hourStartMs: b.startMs,
        outdoorC: b.outdoorC / b.steps,
        capacityFraction: b.fraction / b.steps,
        indoorC: b.indoorC / b.steps,
      };
    });
  }

  private close(s: (typeof this.spaces)[number]): void {
    const h = s.hour;
    if (!h || h.steps === 0 || !h.allActive || !h.warm || h.coveredMs < HOUR_MS) return;
    const b = s.best;
    const worse = (x: HourSums) => (this.mode === 'cool' ? x.outdoorC / x.steps : -x.outdoorC / x.steps);
    if (!b || worse(h) > worse(b)) s.best = { ...h };
  }
}
