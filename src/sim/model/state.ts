import type { CommunityModel } from './community.js';
import type { OccupancyState } from './occupancy.js';
import { hashUniform, newStream, Rng, type RngState } from './rng.js';
import type { HvacCommand } from './schedule.js';
import { seasonal, type WeatherNow, type WeatherState } from './weather.js';

export interface SiteState {
  readonly weather: WeatherState;
  /** Conditions at the state's instant. */
  readonly now: WeatherNow;
  readonly rng: RngState;
}

export interface SpaceState {
  readonly occupancy: OccupancyState;
  readonly indoorC: number;
  readonly rng: RngState;
  /** Power by end use over the last step, W. */
  readonly lightingW: number;
  readonly hvacW: number;
  readonly plugW: number;
  /** Part of lighting and HVAC power drawn by life-safety equipment (emergency lights, CO fans), W. */
  readonly lifeSafetyW: number;
  readonly illuminanceLux: number;
  /** What the motion sensors last reported (null before the first report). */
  readonly reportedOccupied: boolean | null;
}

export interface MeterState {
  /** Cumulative register, kWh (true units, before the meter's multiplier). */
  readonly registerKWh: number;
  readonly powerW: number;
  /** Local date of `dayStartKWh` (Tasmota's Today and Yesterday). */
  readonly day: string;
  readonly dayStartKWh: number;
  readonly yesterdayKWh: number;
  /** Energy of the last three steps, Wh, newest last (Shelly's by_minute). */
  readonly recentWh: readonly number[];
}

/**
 * A command a controller holds for a device until `validUntilMs`; afterwards the device returns to
 * its schedule. Nothing sets leases yet: the closed-loop simulator will, from setpoint messages.
 */
export type DeviceLease =
  | { readonly kind: 'lighting'; readonly levelPct: number; readonly validUntilMs: number }
  | ({ readonly kind: 'hvac'; readonly validUntilMs: number } & HvacCommand);

export interface CommunityState {
  readonly tMs: number;
  readonly sites: Readonly<Record<string, SiteState>>;
  readonly spaces: Readonly<Record<string, SpaceState>>;
  readonly meters: Readonly<Record<string, MeterState>>;
  readonly leases: Readonly<Record<string, DeviceLease>>;
}

/** Registers are dated from here: a restarted simulator starts near where the last one stopped. */
const REGISTER_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * Where a meter's register starts: a seeded offset plus its nominal mean power times the hours since
 * 2024-01-01. A restart re-seeds, so the register can come back slightly lower than it was; the
 * service treats a lower value as a counter reset.
 */
export function initialRegisterKWh(seed: number, meterId: string, nominalKW: number, tMs: number): number {
  const hours = Math.max(0, (tMs - REGISTER_EPOCH_MS) / 3_600_000);
  return 100 + hashUniform(seed, `register:${meterId}`) * 2000 + nominalKW * hours;
}

/** Model state at `tMs` (aligned down to a step): temperatures near the season's, nobody present. */
export function initialState(model: CommunityModel, tMs: number): CommunityState {
  const t0 = Math.floor(tMs / model.stepMs) * model.stepMs;
  const sites: Record<string, SiteState> = {};
  const spaces: Record<string, SpaceState> = {};
  const meters: Record<string, MeterState> = {};
  for (const site of model.sites) {
    const rng = new Rng(newStream(model.seed, `weather:${site.id}`));
    const weather = { anomalyC: rng.normal() * site.climate.anomalyStdC, cloudLogit: rng.normal() };
    const dayOfYear = Math.floor((t0 - Date.UTC(new Date(t0).getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    const meanC = seasonal(site.climate.monthlyMeanC, dayOfYear, site.climate.latitudeDeg < 0);
    sites[site.id] = {
      weather,
      now: { outdoorC: meanC, ghiWm2: 0, cloudCover: 0.5, interiorC: Math.min(27, Math.max(18, meanC)) },
      rng: rng.state(),
    };
    for (const space of site.spaces) {
      spaces[space.key] = {
        occupancy: { count: 0, lastSeenMs: Number.NEGATIVE_INFINITY },
        indoorC: Math.min(28, Math.max(16, meanC + 4)),
        rng: newStream(model.seed, `space:${space.key}`),
        lightingW: 0,
        hvacW: 0,
        plugW: 0,
        lifeSafetyW: 0,
        illuminanceLux: 0,
        reportedOccupied: null,
      };
      for (const meter of space.meters) {
        const registerKWh = initialRegisterKWh(model.seed, meter.id, meter.nominalKW, t0);
        meters[meter.id] = {
          registerKWh,
          powerW: 0,
          day: '',
          dayStartKWh: registerKWh,
          yesterdayKWh: 0,
          recentWh: [],
        };
      }
    }
  }
  return { tMs: t0, sites, spaces, meters, leases: {} };
}

/** The state with a device lease set (or replaced). */
export function withLease(state: CommunityState, deviceId: string, lease: DeviceLease): CommunityState {
  return { ...state, leases: { ...state.leases, [deviceId]: lease } };
}
