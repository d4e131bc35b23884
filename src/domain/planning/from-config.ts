import type { ControlConfig } from '../../config/schema/control.js';
import type { ScheduleConfig } from '../../config/schema/schedule.js';
import type { SpaceConfig } from '../../config/schema/site.js';
import { spaceTypeControlOf } from '../control/space-type-rules.js';
import { isLifeSafetyKind } from '../devices/kinds.js';
import { deviceScheduleValueAt } from '../safety/schedule-value.js';
import { priceAt } from '../tariff/tariff.js';
import type { Tariff } from '../tariff/types.js';
import { PRIOR_THERMAL_RATES } from './defaults.js';
import { solarProxyAt } from './solar.js';
import type {
  HvacTuning,
  LightingTuning,
  PlanInput,
  ScheduledHvac,
  SensorSnapshot,
  ThermalRates,
} from './types.js';
import { HORIZON_SLOTS, SLOT_MS } from './types.js';

/** What the service knows beyond the config when it plans a space. */
export interface PlanContext {
  readonly space: SpaceConfig;
  readonly schedules: readonly ScheduleConfig[];
  readonly control: ControlConfig;
  /** Site time zone: schedules are in local time. */
  readonly timeZone: string;
  /** Start of slot 0 (the slot holding now), ms. */
  readonly startMs: number;
  /** Per-slot forecasts (see `hourlyToSlots` for hourly series). */
  readonly occupancyProbability: readonly number[];
  readonly outdoorTempC: readonly number[];
  readonly pricePerKWh: readonly number[];
  readonly sensors: SensorSnapshot;
  /** Learned rates of the space; the cold-start prior when absent. */
  readonly rates?: ThermalRates;
  readonly currentLevelPct?: number;
  readonly fullOutputLux?: number;
  readonly lightingTuning?: Partial<LightingTuning>;
  readonly hvacTuning?: Partial<HvacTuning>;
}

/**
 * The planner's input for a configured space: controllable devices only (life-safety kinds never
 * reach the planner), the space type's light levels and comfort limits, and the fixed schedule of
 * the space's first HVAC device per slot (all HVAC of a space shares one thermal model).
 */
export function planInputFromConfig(ctx: PlanContext): PlanInput {
  const { space } = ctx;
  const typeControl = spaceTypeControlOf(ctx.control, space.type);
  const controllable = space.devices.filter((d) => !isLifeSafetyKind(d.kind));
  const lights = controllable.filter((d) => d.kind === 'lighting');
  const hvacs = controllable.filter((d) => d.kind === 'hvac');
  const firstHvac = hvacs[0];
  const schedule: ScheduledHvac[] = [];
  if (firstHvac) {
    for (let i = 0; i < HORIZON_SLOTS; i++) {
      const v = deviceScheduleValueAt(firstHvac, ctx.schedules, ctx.startMs + i * SLOT_MS, ctx.timeZone);
      if (v.kind !== 'hvac') schedule.push({ mode: 'off' });
      else if (v.mode === 'cool' || v.mode === 'heat')
        schedule.push({ mode: v.mode, setpointC: v.setpointC });
      else schedule.push({ mode: v.mode });
    }
  }
  const scheduleEndedMs = firstHvac ? lastScheduleEndMs(firstHvac, ctx, schedule[0]) : undefined;
  return {
    spaceId: space.id,
    spaceType: space.type,
    startMs: ctx.startMs,
    occupancyProbability: ctx.occupancyProbability,
    outdoorTempC: ctx.outdoorTempC,
    pricePerKWh: ctx.pricePerKWh,
    solarProxy: Array.from({ length: HORIZON_SLOTS }, (_, i) =>
      solarProxyAt(ctx.startMs + (i + 0.5) * SLOT_MS, ctx.timeZone),
    ),
    sensors: ctx.sensors,
    ...(lights.length === 0
      ? {}
      : {
          lighting: {
            devices: lights.map((d) => ({
              deviceId: d.id,
              ratedPowerW: d.ratedPowerW,
              ...(d.limits.minLevelPct === undefined ? {} : { minLevelPct: d.limits.minLevelPct }),
              ...(d.limits.maxLevelPct === undefined ? {} : { maxLevelPct: d.limits.maxLevelPct }),
            })),
            levels: {
              safetyMinLevelPct: typeControl.safetyMinLevelPct,
              occupiedLevelPct: typeControl.occupiedLevelPct,
            },
            ...(ctx.currentLevelPct === undefined ? {} : { currentLevelPct: ctx.currentLevelPct }),
            ...(ctx.fullOutputLux === undefined ? {} : { fullOutputLux: ctx.fullOutputLux }),
            // The config's dimming limit is the planner's, so plan and safety layer agree.
            tuning: {
              decreasePctPerMinute: ctx.control.lightingDecreasePctPerMinute,
              holdMinutes: typeControl.presenceHoldMinutes,
              ...ctx.lightingTuning,
            },
          },
        }),
    ...(hvacs.length === 0
      ? {}
      : {
          hvac: {
            devices: hvacs.map((d) => ({
              deviceId: d.id,
              ratedPowerW: d.ratedPowerW,
              ...(d.idlePowerW === undefined ? {} : { idlePowerW: d.idlePowerW }),
              ...(d.limits.minSetpointC === undefined ? {} : { minSetpointC: d.limits.minSetpointC }),
              ...(d.limits.maxSetpointC === undefined ? {} : { maxSetpointC: d.limits.maxSetpointC }),
              setpointStepC: d.outputOptions.setpointStepC,
            })),
            comfort: typeControl.comfort,
            rates: ctx.rates ?? PRIOR_THERMAL_RATES,
            schedule,
            ...(scheduleEndedMs === undefined ? {} : { scheduleEndedMs }),
            tuning: {
              preScheduleStartMinutes: ctx.control.hvacPreStartBeforeScheduleMinutes,
              ...ctx.hvacTuning,
            },
          },
        }),
  };
}

/** How far back the end of the schedule's conditioning is looked for (the longest after-hours comfort, 6 h). */
const SCHEDULE_END_LOOKBACK_SLOTS = 24;

/** End of the schedule's last cooling or heating block, if it ended within the lookback and is off now. */
function lastScheduleEndMs(
  device: PlanContext['space']['devices'][number],
  ctx: PlanContext,
  now: ScheduledHvac | undefined,
): number | undefined {
  if (now?.mode === 'cool' || now?.mode === 'heat') return undefined;
  for (let k = 1; k <= SCHEDULE_END_LOOKBACK_SLOTS; k++) {
    const v = deviceScheduleValueAt(device, ctx.schedules, ctx.startMs - k * SLOT_MS, ctx.timeZone);
    if (v.kind === 'hvac' && (v.mode === 'cool' || v.mode === 'heat')) return ctx.startMs - (k - 1) * SLOT_MS;
  }
  return undefined;
}

/** Tariff price per slot, currency units per kWh (the tariff's), in the site's local time (periods follow the wall clock). */
export function slotPrices(
  tariff: Tariff,
  startMs: number,
  timeZone: string,
  slots = HORIZON_SLOTS,
): number[] {
  return Array.from(
    { length: slots },
    (_, i) => priceAt(tariff, startMs + i * SLOT_MS, timeZone).pricePerKWh,
  );
}
