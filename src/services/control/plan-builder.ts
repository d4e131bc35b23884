import { IANAZone } from 'luxon';
import type { SpaceConfig } from '../../config/schema/site.js';
import type { TariffsConfig } from '../../config/schema/tariff.js';
import { planInputFromConfig, slotPrices } from '../../domain/planning/from-config.js';
import { hourlyToSlots, slotStartMs } from '../../domain/planning/grid.js';
import { slotOfWeek } from '../../domain/planning/occupancy-profile.js';
import { planSpace } from '../../domain/planning/plan-space.js';
import {
  HORIZON_SLOTS,
  type PlanInput,
  type SensorSnapshot,
  SLOT_MS,
  type SpacePlan,
  type ThermalRates,
} from '../../domain/planning/types.js';
import { deviceScheduleValueAt } from '../../domain/safety/schedule-value.js';
import type { OccupancyFraction } from '../../domain/sensors/types.js';
import type { Tariff } from '../../domain/tariff/types.js';
import type { HourlyForecastView, PlanForecasts, SensorView } from '../../ports/control-inputs.js';
import { tariffOf } from '../savings/pricing.js';
import type { ControlledSpace, ControlSetup } from './catalogue.js';
import { type OccupancyHistory, type OccupancyProfileCache, PRIOR_PROBABILITY } from './occupancy-cache.js';

export type { OccupancyHistory };

/** Weight of the prior, in observed weeks. */
const PRIOR_WEEKS = 1;
/** Outdoor temperature assumed when no reading exists, °C (only shifts start times). */
const DEFAULT_OUTDOOR_C = 20;
/** Flat price per slot: without a tariff every slot costs the same, so nothing is pre-conditioned. */
const FLAT_PRICE = 1;

/** An hourly forecast on the slot grid; slots it does not cover (or null hours) take `fallback`. */
export function forecastSlots(
  f: HourlyForecastView | undefined,
  startMs: number,
  fallback: readonly number[],
): number[] {
  const first = f?.tsMs[0];
  if (!f || first === undefined) return [...fallback];
  const hourly = f.values.map((v) => (v === null || !Number.isFinite(v) ? Number.NaN : v));
  const slots = hourlyToSlots(hourly, first, startMs);
  return slots.map((v, i) =>
    Number.isFinite(v) && startMs + i * SLOT_MS >= first ? v : (fallback[i] ?? Number.NaN),
  );
}

/**
 * Occupancy probability per slot of the horizon: for each local slot of the week, the share of
 * observed weeks in which the space was occupied at all during it, pulled toward 0.5 where the
 * history is thin. A cold start (no history) is 0.5 everywhere.
 */
export function occupancyForecast(
  history: readonly OccupancyFraction[],
  startMs: number,
  timeZone: string,
  prior: readonly number[] = [],
): number[] {
  const zone = IANAZone.create(timeZone);
  const seen = new Map<number, { n: number; hits: number }>();
  for (const q of history) {
    if (q.observed <= 0) continue;
    const w = slotOfWeek(q.startMs, zone);
    const s = seen.get(w) ?? { n: 0, hits: 0 };
    s.n += 1;
    if (q.fraction > 0) s.hits += 1;
    seen.set(w, s);
  }
  return Array.from({ length: HORIZON_SLOTS }, (_, i) => {
    const s = seen.get(slotOfWeek(startMs + i * SLOT_MS, zone));
    const p0 = prior[i] ?? PRIOR_PROBABILITY;
    return ((s?.hits ?? 0) + p0 * PRIOR_WEEKS) / ((s?.n ?? 0) + PRIOR_WEEKS);
  });
}

/** Prior probability in hours the fixed schedule keeps the space closed (below the planner's lighting threshold). */
const CLOSED_PROBABILITY = 0.02;

/**
 * Cold-start occupancy expectation from today's schedules: 0.5 in slots where any of the space's
 * devices runs by its schedule, low where the schedule has everything off (a gym at night). So a
 * space with no history yet is never lit or conditioned where its schedule would not be.
 */
export function schedulePrior(space: ControlledSpace, setup: ControlSetup, startMs: number): number[] {
  const devices = space.devices.map((d) => d.ctx.device);
  return Array.from({ length: HORIZON_SLOTS }, (_, i) => {
    const t = startMs + i * SLOT_MS;
    const on = devices.some((d) => {
      const v = deviceScheduleValueAt(d, setup.schedules, t, space.site.timezone);
      return v.kind === 'lighting' ? v.levelPct > 0 : v.mode !== 'off';
    });
    return on ? PRIOR_PROBABILITY : CLOSED_PROBABILITY;
  });
}

function sensorSnapshot(
  space: ControlledSpace,
  sensors: SensorView | undefined,
  occupiedSinceMs: number | undefined,
): SensorSnapshot {
  if (!sensors) return {};
  const siteId = space.site.id;
  const occ = sensors.latest(siteId, space.space.id, 'occupancy');
  const indoor = sensors.latest(siteId, space.space.id, 'indoor-temperature');
  const lux = sensors.latest(siteId, space.space.id, 'illuminance');
  const occupied = occ !== undefined && !occ.stale ? occ.value > 0 : undefined;
  return {
    ...(occupied === undefined ? {} : { occupied }),
    ...(occupied && occ ? { lastPresenceMs: occ.tsMs } : {}),
    // Kept by the control service only while the last reading says occupied (a change-only sensor's
    // long silence included, as for the lights).
    ...(occupiedSinceMs === undefined ? {} : { occupiedSinceMs }),
    ...(indoor !== undefined && !indoor.stale ? { indoorTempC: indoor.value } : {}),
    ...(lux !== undefined && !lux.stale ? { illuminanceLux: lux.value, illuminanceTsMs: lux.tsMs } : {}),
  };
}

export interface BuiltPlan {
  readonly plan: SpacePlan;
  /** What the planner was given: the predictive planner plans from the same input. */
  readonly input: PlanInput;
  /** What the plan was made from, for the audit log. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** Where a plan's input comes from besides the config. */
export interface PlanSources {
  readonly sensors?: SensorView | undefined;
  /** The space's own occupancy profile (kept up to date incrementally). */
  readonly occupancy?: OccupancyProfileCache | undefined;
  readonly currentLevelPct?: number | undefined;
  readonly forecasts?: PlanForecasts | undefined;
  /** The tariff the space's HVAC pays; flat prices without one. */
  readonly tariff?: Tariff | undefined;
  /** Illuminance of the space's lights at 100 %, lx: with an illuminance reading, daylight counts. */
  readonly fullOutputLux?: number | undefined;
  /** The space's learned thermal rates; the planner's prior without. */
  readonly rates?: ThermalRates | undefined;
  /** Since when the occupancy sensor has said occupied without a break. */
  readonly occupiedSinceMs?: number | undefined;
}

/** The 24-hour plan of one space by the rules, from the config, its sensors and its occupancy history. */
export function buildSpacePlan(
  space: ControlledSpace,
  setup: ControlSetup,
  nowMs: number,
  sources: PlanSources,
): BuiltPlan {
  const made = spacePlanInput(space, setup, nowMs, sources);
  return { plan: planSpace(made.input, nowMs), ...made };
}

/**
 * What the planners are given for one space's next 24 hours, and what it was made from (for the
 * audit log); the plan itself is made by the plan round (`planRound`), by the rules or the program.
 */
export function spacePlanInput(
  space: ControlledSpace,
  setup: ControlSetup,
  nowMs: number,
  sources: PlanSources,
): Omit<BuiltPlan, 'plan'> {
  const startMs = slotStartMs(nowMs);
  const tz = space.site.timezone;
  const prior = schedulePrior(space, setup, startMs);
  const historical = sources.occupancy?.forecast(space.site.id, space.space.id, tz, startMs, prior);
  const fromHistory = historical ?? prior;
  // The forecast service's occupancy model where it has one; the space's own weekly history otherwise.
  const occupancyForecastView = sources.forecasts?.occupancy(space.site.id, space.space.id);
  const occupancyProbability = forecastSlots(occupancyForecastView, startMs, fromHistory);
  const outdoor = sources.sensors?.latest(space.site.id, null, 'outdoor-temperature');
  const outdoorC = outdoor !== undefined && !outdoor.stale ? outdoor.value : DEFAULT_OUTDOOR_C;
  const outdoorTempC = forecastSlots(
    sources.forecasts?.outdoorTemperature(space.site.id, space.space.id),
    startMs,
    new Array<number>(HORIZON_SLOTS).fill(outdoorC),
  );
  const prices = sources.tariff ? slotPrices(sources.tariff, startMs, tz) : [FLAT_PRICE];
  const sensors = sensorSnapshot(space, sources.sensors, sources.occupiedSinceMs);
  const input = planInputFromConfig({
    space: space.space,
    schedules: setup.schedules,
    control: setup.control,
    timeZone: tz,
    startMs,
    occupancyProbability,
    outdoorTempC,
    pricePerKWh: prices,
    sensors,
    ...(sources.currentLevelPct === undefined ? {} : { currentLevelPct: sources.currentLevelPct }),
    ...(sources.rates === undefined ? {} : { rates: sources.rates }),
    ...(sources.fullOutputLux === undefined ? {} : { fullOutputLux: sources.fullOutputLux }),
  });
  return {
    input,
    inputs: {
      occupancyProbability: occupancyProbability[0],
      occupancySource: occupancyForecastView ? 'forecast' : historical ? 'history' : 'prior',
      outdoorC: outdoorTempC[0],
      thermalRates: sources.rates === undefined ? 'prior' : 'learned',
      ...(sources.fullOutputLux === undefined ? {} : { fullOutputLux: sources.fullOutputLux }),
      ...(sources.tariff ? { tariff: sources.tariff.id, pricePerKWh: prices[0] } : {}),
      ...sensors,
    },
  };
}

/** The tariff of the space's HVAC meter (else its first meter); none without tariffs configured. */
export function spaceTariff(space: SpaceConfig, tariffs: TariffsConfig | undefined): Tariff | undefined {
  const meter = space.meters.find((m) => m.measures === 'hvac') ?? space.meters[0];
  if (!tariffs || !meter) return undefined;
  try {
    return tariffOf(tariffs, meter.id);
  } catch {
    return undefined;
  }
}
