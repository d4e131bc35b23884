import type { QuietWattConfig } from '../../config/schema/index.js';
import type { WeatherEpisode } from '../model/weather-episode.js';
import type { DesignMode } from './capacity-recorder.js';

/**
 * The savings bench's extreme scenarios: the demo community in a heat wave and in a cold snap, with
 * the fixed schedules of a property that cools to 24 °C and heats to 22 °C (colder and warmer than
 * the 26 °C / 20 °C public-space limits), a comfort band of 20-27 °C, and HVAC units sized so that
 * the schedule's units run at 95 % or more of their capacity in the hottest (coldest) hour.
 */
export interface ExtremeScenario {
  readonly name: 'heat-wave' | 'cold-snap';
  readonly season: 'summer' | 'winter';
  readonly description: string;
  /** First measured instant: a Monday at local midnight, ms. */
  readonly startMs: number;
  readonly days: number;
  readonly episode: WeatherEpisode;
  readonly designMode: DesignMode;
  /** Where the community stands, and its climate (the simulator's normals). */
  readonly latitudeDeg?: number;
  readonly longitudeDeg?: number;
  readonly climate?: QuietWattConfig['simulator']['climate'];
  /**
   * Rated electrical input of each HVAC unit, W, by device id: sized so that the heat it takes to
   * hold the schedule's setpoint in the design hour (measured with oversized units, seed 1, 14
   * learning days) is 97 % of the unit's capacity there. See docs/benchmarks.md.
   */
  readonly ratedPowerW: Readonly<Record<string, number>>;
}

/** The schedules' own setpoints in these scenarios, °C. */
export const SCHEDULE_COOL_SETPOINT_C = 24;
export const SCHEDULE_HEAT_SETPOINT_C = 22;
/** The occupied comfort band in these scenarios, °C. */
export const SCENARIO_COMFORT_LOW_C = 20;
export const SCENARIO_COMFORT_HIGH_C = 27;

const DAY_MS = 86_400_000;
/** Monday 13 July 2026, 00:00 in Asia/Shanghai. */
const HEAT_WAVE_START_MS = Date.UTC(2026, 6, 12, 16);
/** Monday 12 January 2026, 00:00 in Asia/Shanghai (Beijing keeps the same time). */
const COLD_SNAP_START_MS = Date.UTC(2026, 0, 11, 16);

/** Beijing 1991-2020 normals, rounded; cloud cover from its sunshine percentage (sunny winters). */
const BEIJING_MONTHLY_MEAN_C = [-3.1, 0.3, 6.7, 14.8, 20.8, 24.9, 26.7, 25.5, 20.8, 13.7, 5.0, -1.1];
const BEIJING_CLOUD_COVER = [0.35, 0.4, 0.45, 0.5, 0.5, 0.6, 0.7, 0.65, 0.5, 0.45, 0.4, 0.35];

export const EXTREME_SCENARIOS: readonly ExtremeScenario[] = [
  {
    name: 'heat-wave',
    season: 'summer',
    description:
      'Shanghai, a July heat wave: the seeded weather plus 2 K for three days, ramping in and out over two days on each side (hottest hour about 38 °C)',
    startMs: HEAT_WAVE_START_MS,
    days: 7,
    episode: { peakMs: HEAT_WAVE_START_MS + 3.5 * DAY_MS, plateauDays: 3, rampDays: 2, offsetC: 2 },
    designMode: 'cool',
    ratedPowerW: { 'lobby-ac': 4600, 'gym-ac': 4800, 'clubhouse-ac': 8600 },
  },
  {
    name: 'cold-snap',
    season: 'winter',
    description:
      'The same community in Beijing, a January cold snap: the seeded weather minus 3 K for three days, ramping in and out over two days on each side (coldest hour about -10 °C)',
    startMs: COLD_SNAP_START_MS,
    days: 7,
    episode: { peakMs: COLD_SNAP_START_MS + 3.5 * DAY_MS, plateauDays: 3, rampDays: 2, offsetC: -3 },
    designMode: 'heat',
    latitudeDeg: 39.9,
    longitudeDeg: 116.4,
    climate: {
      monthlyMeanC: BEIJING_MONTHLY_MEAN_C,
      monthlyCloudCover: BEIJING_CLOUD_COVER,
      diurnalRangeC: 10,
    },
    ratedPowerW: { 'lobby-ac': 6000, 'gym-ac': 5600, 'clubhouse-ac': 8000 },
  },
];

/**
 * Which setpoint limits the QuietWatt arm runs under: `schedule`, the schedule's own setpoints (the
 * same comfort standard in both arms); `default`, the 26 °C / 20 °C public-space defaults.
 */
export type ScenarioLimits = 'schedule' | 'default';

/** The bench config of one scenario under one set of limits. */
export function scenarioConfig(
  base: QuietWattConfig,
  s: ExtremeScenario,
  limits: ScenarioLimits,
): QuietWattConfig {
  const own = limits === 'schedule';
  const comfort = {
    ...base.control.comfort,
    comfortLowC: SCENARIO_COMFORT_LOW_C,
    comfortHighC: SCENARIO_COMFORT_HIGH_C,
    ...(own
      ? { coolSetpointMinC: SCHEDULE_COOL_SETPOINT_C, heatSetpointMaxC: SCHEDULE_HEAT_SETPOINT_C }
      : {}),
  };
  const spaceTypes = Object.fromEntries(
    Object.entries(base.control.spaceTypes).map(([type, o]) => [
      type,
      o?.comfort ? { ...o, comfort: { ...o.comfort, ...comfort } } : o,
    ]),
  ) as QuietWattConfig['control']['spaceTypes'];
  return {
    ...base,
    simulator: { ...base.simulator, climate: { ...base.simulator.climate, ...(s.climate ?? {}) } },
    control: { ...base.control, comfort, spaceTypes },
    schedules: base.schedules.map((sch) =>
      sch.kind !== 'hvac'
        ? sch
        : {
            ...sch,
            blocks: sch.blocks.map((b) =>
              b.mode === 'cool'
                ? { ...b, setpointC: SCHEDULE_COOL_SETPOINT_C }
                : b.mode === 'heat'
                  ? { ...b, setpointC: SCHEDULE_HEAT_SETPOINT_C }
                  : b,
            ),
          },
    ),
    sites: base.sites.map((site) => ({
      ...site,
      ...(s.latitudeDeg === undefined ? {} : { latitude: s.latitudeDeg }),
      ...(s.longitudeDeg === undefined ? {} : { longitude: s.longitudeDeg }),
      spaces: site.spaces.map((sp) => ({
        ...sp,
        devices: sp.devices.map((d) =>
          d.kind === 'hvac' && s.ratedPowerW[d.id] !== undefined
            ? { ...d, ratedPowerW: s.ratedPowerW[d.id] }
            : d,
        ),
      })),
    })),
  } as QuietWattConfig;
}
