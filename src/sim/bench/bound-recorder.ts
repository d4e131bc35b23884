import type { QuietWattConfig } from '../../config/schema/index.js';
import { UNDER_LIT_SLACK_PCT } from '../../domain/comfort/kpi.js';
import { spaceTypeControlOf } from '../../domain/control/space-type-rules.js';
import type { CommunityModel, DeviceModel, SiteModel, SpaceModel } from '../model/community.js';
import { copCooling, copHeating } from '../model/hvac.js';
import { lightingPowerW } from '../model/lighting.js';
import { DAYLIGHT_EFFICACY_LM_PER_W } from '../model/solar.js';
import { boundaryTemperatureC, heatGainsW } from '../model/space-step.js';
import type { CommunityState } from '../model/state.js';
import type { DesignMode } from './capacity-recorder.js';
import type { BoundBlock, HvacBoundInput } from './hvac-bound.js';

/** A space's perfect-knowledge inputs: its lighting bound and, if conditioned, its HVAC program. */
export interface SpaceBoundInputs {
  readonly spaceKey: string;
  /** Controllable lighting at exactly what occupancy, daylight and the safety floors need, kWh. */
  readonly lightingBoundKWh: number;
  /**
   * The same with the lights run as a motion sensor allows: kept up for the sensor's own hold and the
   * space type's presence hold after the last person left, then dimmed no faster than the configured
   * rate. The least a controller that learns of vacancy from the sensor can use, kWh.
   */
  readonly heldLightingBoundKWh: number;
  /** The HVAC program without its discomfort allowance (conditioned spaces only). */
  readonly hvac?: Omit<HvacBoundInput, 'discomfortKh'>;
  /** The recorded run's indoor temperature at each block boundary, °C (conditioned spaces only). */
  readonly recordedC?: readonly number[];
}

interface BlockAcc {
  minutes: number;
  boundaryC: number;
  gainsW: number;
  occupiedH: number;
  outdoorC: number;
}

interface SpaceAcc {
  site: SiteModel;
  space: SpaceModel;
  lights: (DeviceModel & { kind: 'lighting' })[];
  /** Lowest level the service may command each light (device limit or the type's safety floor), %. */
  floorPct: number[];
  occupiedPct: number;
  /** The motion sensor's hold and the space type's presence hold, ms. */
  holdMs: number;
  /** When someone was last present, ms (undefined before the first). */
  lastOccupiedMs: number | undefined;
  /** Each light's level under the sensor-run bound, %. */
  heldLevelPct: number[];
  heldLightingBoundKWh: number;
  /** Always-on emergency luminaires, W: heat in every arm. */
  emergencyW: number;
  comfortLowC: number;
  comfortHighC: number;
  /** Warmest heating (coldest cooling) setpoint the space type and its units allow, °C. */
  limitC: number;
  lightingBoundKWh: number;
  units: (DeviceModel & { kind: 'hvac' })[];
  blocks: BoundBlock[];
  acc: BlockAcc;
  recordedC: number[];
}

/**
 * Watches a run of the fixed schedules and records, per space, what a controller that knew the
 * weather, the people and the room exactly would need: lights at the level occupancy and daylight
 * call for (the safety floor when nobody is there), and the room's heat balance in blocks for the
 * HVAC bound. The units' heat gains from lighting are the run's own in heating (the schedule's lights
 * warm the room most) and the lighting bound's in cooling (the least lighting heat to remove): both
 * favour the bound.
 */
export class BoundRecorder {
  private readonly spaces: SpaceAcc[] = [];
  private readonly blockSteps: number;
  private readonly dimPctPerMinute: number;

  constructor(
    model: CommunityModel,
    config: QuietWattConfig,
    private readonly mode: DesignMode,
    private readonly blockMinutes = 5,
  ) {
    this.blockSteps = (blockMinutes * 60_000) / model.stepMs;
    this.dimPctPerMinute = config.control.lightingDecreasePctPerMinute;
    const limits = new Map(
      config.sites.flatMap((s) => s.spaces.flatMap((sp) => sp.devices)).map((d) => [d.id, d.limits]),
    );
    for (const site of model.sites)
      for (const space of site.spaces) {
        const rules = spaceTypeControlOf(config.control, space.type);
        const lights = space.devices.filter(
          (d): d is DeviceModel & { kind: 'lighting' } => d.kind === 'lighting',
        );
        const units = space.devices.filter((d): d is DeviceModel & { kind: 'hvac' } => d.kind === 'hvac');
        const c = rules.comfort;
        const heatLimitC = Math.min(
          c.heatSetpointMaxC,
          ...units.map((d) => limits.get(d.id)?.maxSetpointC ?? Infinity),
        );
        const coolLimitC = Math.max(
          c.coolSetpointMinC,
          ...units.map((d) => limits.get(d.id)?.minSetpointC ?? -Infinity),
        );
        this.spaces.push({
          site,
          space,
          lights,
          floorPct: lights.map((d) => Math.max(rules.safetyMinLevelPct, limits.get(d.id)?.minLevelPct ?? 0)),
          occupiedPct: rules.occupiedLevelPct,
          holdMs: model.motionHoldSeconds * 1000 + rules.presenceHoldMinutes * 60_000,
          lastOccupiedMs: undefined,
          heldLevelPct: lights.map(() => 0),
          heldLightingBoundKWh: 0,
          emergencyW: space.devices.reduce(
            (sum, d) => (d.kind === 'emergency-lighting' ? sum + d.ratedPowerW : sum),
            0,
          ),
          comfortLowC: c.comfortLowC,
          comfortHighC: c.comfortHighC,
          limitC: mode === 'heat' ? heatLimitC : coolLimitC,
          lightingBoundKWh: 0,
          units,
          blocks: [],
          acc: emptyBlock(),
          recordedC: [],
        });
      }
  }

  observe(before: CommunityState, after: CommunityState): void {
    const dtH = (after.tMs - before.tMs) / 3_600_000;
    for (const s of this.spaces) {
      const prev = before.spaces[s.space.key];
      const next = after.spaces[s.space.key];
      const siteNow = before.sites[s.site.id];
      if (!prev || !next || !siteNow) continue;
      const occupied = prev.occupancy.count > 0;
      const daylightPct =
        (100 * s.space.params.daylightFactor * siteNow.now.ghiWm2 * DAYLIGHT_EFFICACY_LM_PER_W) /
        s.space.params.designLux;
      if (occupied) s.lastOccupiedMs = before.tMs;
      const held = s.lastOccupiedMs !== undefined && before.tMs - s.lastOccupiedMs < s.holdMs;
      const dimmablePct = this.dimPctPerMinute * dtH * 60;
      const wantedPct = Math.max(0, s.occupiedPct - UNDER_LIT_SLACK_PCT - daylightPct);
      let boundLightingW = 0;
      let heldLightingW = 0;
      s.lights.forEach((d, i) => {
        const floorPct = s.floorPct[i] ?? 0;
        boundLightingW += lightingPowerW(d.ratedPowerW, Math.max(occupied ? wantedPct : 0, floorPct));
        // Raised at once for people; lowered no faster than the dimming rate.
        const targetPct = Math.max(held ? wantedPct : 0, floorPct);
        const levelPct = Math.max(targetPct, (s.heldLevelPct[i] ?? 0) - dimmablePct);
        s.heldLevelPct[i] = levelPct;
        heldLightingW += lightingPowerW(d.ratedPowerW, levelPct);
      });
      s.lightingBoundKWh += (boundLightingW * dtH) / 1000;
      s.heldLightingBoundKWh += (heldLightingW * dtH) / 1000;
      if (s.units.length === 0) continue;
      if (s.recordedC.length === 0) s.recordedC.push(prev.indoorC);
      // Lighting heat: the run's own in heating, emergency lights plus the bound's in cooling.
      const lightingHeatW = this.mode === 'heat' ? next.lightingW : s.emergencyW + boundLightingW;
      const people = (prev.occupancy.count + next.occupancy.count) / 2;
      const a = s.acc;
      a.minutes++;
      a.boundaryC += boundaryTemperatureC(s.space, s.site, siteNow);
      a.gainsW += heatGainsW(s.space, siteNow, lightingHeatW, next.plugW, people);
      a.outdoorC += siteNow.now.outdoorC;
      if (occupied) a.occupiedH += dtH;
      if (a.minutes === this.blockSteps) this.closeBlock(s, next.indoorC);
    }
  }

  /** Each space's inputs, from the first observed step to the last whole block. */
  finish(): SpaceBoundInputs[] {
    return this.spaces.map((s) => {
      const startC = s.recordedC[0];
      if (s.units.length === 0 || startC === undefined)
        return {
          spaceKey: s.space.key,
          lightingBoundKWh: s.lightingBoundKWh,
          heldLightingBoundKWh: s.heldLightingBoundKWh,
        };
      return {
        spaceKey: s.space.key,
        lightingBoundKWh: s.lightingBoundKWh,
        heldLightingBoundKWh: s.heldLightingBoundKWh,
        hvac: {
          mode: this.mode,
          blocks: s.blocks,
          blockS: this.blockMinutes * 60,
          startC,
          uaWPerK: s.space.thermal.uaWPerK,
          capacityJPerK: s.space.thermal.capacityJPerK,
          fanW: s.units.reduce((sum, d) => sum + d.ratedPowerW * d.fanShare, 0),
          comfortLowC: s.comfortLowC,
          comfortHighC: s.comfortHighC,
          limitC: s.limitC,
        },
        recordedC: s.recordedC,
      };
    });
  }

  private closeBlock(s: SpaceAcc, endC: number): void {
    const a = s.acc;
    const outdoorC = a.outdoorC / a.minutes;
    const cop = this.mode === 'heat' ? copHeating(outdoorC) : copCooling(outdoorC);
    const compressorW = s.units.reduce((sum, d) => sum + d.ratedPowerW * (1 - d.fanShare), 0);
    s.blocks.push({
      boundaryC: a.boundaryC / a.minutes,
      gainsW: a.gainsW / a.minutes,
      occupiedH: a.occupiedH,
      capacityW: compressorW * cop,
      cop,
    });
    s.recordedC.push(endC);
    s.acc = emptyBlock();
  }
}

function emptyBlock(): BlockAcc {
  return { minutes: 0, boundaryC: 0, gainsW: 0, occupiedH: 0, outdoorC: 0 };
}
