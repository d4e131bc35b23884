import type { QuietWattConfig } from '../../config/schema/index.js';
import type { Tariff } from '../../domain/tariff/types.js';
import { WARM_UP_HOURS } from './capacity-recorder.js';
import { type Arm, type ArmResult, runArm } from './run-arm.js';
import {
  formatAlerts,
  formatPredictionErrors,
  formatScenarioTable,
  formatVerdict,
  judgeScenario,
} from './scenario-report.js';
import {
  type ExtremeScenario,
  SCENARIO_COMFORT_HIGH_C,
  SCENARIO_COMFORT_LOW_C,
  SCHEDULE_COOL_SETPOINT_C,
  SCHEDULE_HEAT_SETPOINT_C,
  type ScenarioLimits,
  scenarioConfig,
} from './scenarios.js';

export interface ScenarioRunOptions {
  readonly base: QuietWattConfig;
  readonly scenarios: readonly ExtremeScenario[];
  readonly tariff: Tariff;
  readonly learnDays: number;
  /** `quietwatt` (the services) or `core` (planner and safety layer driven directly). */
  readonly qwArm: Exclude<Arm, 'fixed'>;
  /** Run the fixed schedules only: how the units were sized. */
  readonly fixedOnly: boolean;
  /** The services arm's HVAC planner (default: the linear program, as the service runs). */
  readonly planner?: 'predictive' | 'rules';
  /** Called when a run starts, with a label and its simulated hours, and returns a progress callback. */
  readonly onRun: (label: string, totalHours: number) => (hoursDone: number) => void;
}

const LIMITS: readonly ScenarioLimits[] = ['schedule', 'default'];

/**
 * The extreme scenarios: per scenario one run of the fixed schedules, then QuietWatt twice, with the
 * site's limits at the schedule's own setpoints and with the default limits. Returns the report's
 * lines and a machine-readable summary.
 */
export async function runScenarios(o: ScenarioRunOptions): Promise<{ lines: string[]; json: unknown }> {
  const lines: string[] = [];
  const json: Record<string, unknown> = {};
  for (const s of o.scenarios) {
    const run = (config: QuietWattConfig, arm: Arm, label: string): Promise<ArmResult> =>
      runArm({
        config,
        arm,
        tariff: o.tariff,
        startMs: s.startMs,
        days: s.days,
        learnDays: o.learnDays,
        episode: s.episode,
        designMode: s.designMode,
        ...(o.planner ? { planner: o.planner } : {}),
        onProgress: o.onRun(label, (o.learnDays + s.days) * 24),
      });
    const fixed = await run(scenarioConfig(o.base, s, 'schedule'), 'fixed', `${s.name} fixed`);
    const from = new Date(s.startMs + 8 * 3_600_000).toISOString().slice(0, 10);
    lines.push(
      '',
      `## ${s.name} (${s.season}, ${from}, ${s.days} days after ${o.learnDays} learning days)`,
      '',
      `${s.description}. Fixed schedules cool to ${SCHEDULE_COOL_SETPOINT_C} °C / heat to ${SCHEDULE_HEAT_SETPOINT_C} °C on their hours; comfort band ${SCENARIO_COMFORT_LOW_C}-${SCENARIO_COMFORT_HIGH_C} °C. HVAC rated input: ${Object.entries(
        s.ratedPowerW,
      )
        .map(([id, w]) => `${id} ${(w / 1000).toFixed(1)} kW`)
        .join(', ')}.`,
      `${s.designMode === 'cool' ? 'Hottest' : 'Coldest'} hour of the measured period: ${fixed.extremeOutdoorC?.toFixed(1)} °C outdoors (hourly mean).`,
      `Design hour of the schedule's units (the ${s.designMode === 'cool' ? 'hottest' : 'coldest'} whole hour they ran ${s.designMode === 'cool' ? 'cooling' : 'heating'}, their first ${WARM_UP_HOURS} h of the day left out): ${(
        fixed.designHours ?? []
      )
        .map(
          (d) =>
            `${d.spaceKey.split('/').pop()} ${Number.isFinite(d.capacityFraction) ? `${(100 * d.capacityFraction).toFixed(1)} % of capacity at ${d.outdoorC.toFixed(1)} °C outdoors, ${d.indoorC.toFixed(1)} °C indoors` : 'none'}`,
        )
        .join('; ')}.`,
    );
    const entry: Record<string, unknown> = {
      extremeOutdoorC: fixed.extremeOutdoorC,
      designHours: fixed.designHours,
    };
    json[s.name] = entry;
    if (o.fixedOnly) continue;
    for (const limits of LIMITS) {
      const config = scenarioConfig(o.base, s, limits);
      const qw = await run(config, o.qwArm, `${s.name} ${o.qwArm} (${limits} limits)`);
      const v = judgeScenario(fixed, qw);
      const c = config.control.comfort;
      lines.push(
        '',
        `### ${s.name}, ${limits === 'schedule' ? "site's limits = the schedule's setpoints" : 'default limits'} (cooling >= ${c.coolSetpointMinC} °C, heating <= ${c.heatSetpointMaxC} °C)`,
        '',
        formatScenarioTable(v),
        '',
        `Against the issue's targets${limits === 'default' ? " (which apply to the run with the site's limits; shown for reference)" : ''}:`,
        ...formatVerdict(v),
        '',
        ...formatAlerts(qw.alerts),
        ...formatPredictionErrors(qw),
        `QuietWatt arm: ${qw.dispatcher?.published ?? 0} messages published, ${qw.controllers.rejected} rejected by controllers, ${qw.outOfBounds} values out of bounds.`,
      );
      entry[limits] = {
        verdict: v,
        alerts: qw.alerts,
        outOfBounds: qw.outOfBounds,
        predictionErrors: qw.predictionErrors,
        outdoorForecastErrors: qw.outdoorForecastErrors,
      };
    }
  }
  return { lines, json };
}
