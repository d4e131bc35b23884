import { WorkerLpSolver } from '../../adapters/solver/worker-lp-solver.js';
import type { QuietWattConfig } from '../../config/schema/index.js';
import type { Tariff } from '../../domain/tariff/types.js';
import type { LpSolver } from '../../ports/lp-solver.js';
import { buildCommunityModel } from '../model/build.js';
import { BoundRecorder } from './bound-recorder.js';
import { BOUND_HEADING, formatBoundTable } from './bound-report.js';
import { WARM_UP_HOURS } from './capacity-recorder.js';
import { solveBounds } from './perfect-bound.js';
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
  // The perfect-knowledge bound's programs: a week in 5-minute blocks each, too long for the main thread.
  const solver = new WorkerLpSolver();
  try {
    for (const s of o.scenarios) {
      const r = await runScenario(o, s, solver);
      lines.push(...r.lines);
      json[s.name] = r.entry;
    }
  } finally {
    await solver.close();
  }
  return { lines, json };
}

/** One scenario: the fixed schedules with the bound beside them, then QuietWatt under both limits. */
async function runScenario(
  o: ScenarioRunOptions,
  s: ExtremeScenario,
  solver: LpSolver,
): Promise<{ lines: string[]; entry: Record<string, unknown> }> {
  const lines: string[] = [];
  const run = (
    config: QuietWattConfig,
    arm: Arm,
    label: string,
    onStep?: BoundRecorder['observe'],
  ): Promise<ArmResult> =>
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
      ...(onStep ? { onStep } : {}),
      onProgress: o.onRun(label, (o.learnDays + s.days) * 24),
    });
  const siteConfig = scenarioConfig(o.base, s, 'schedule');
  const recorder = new BoundRecorder(
    buildCommunityModel(siteConfig, { episode: s.episode }),
    siteConfig,
    s.designMode,
  );
  const fixed = await run(siteConfig, 'fixed', `${s.name} fixed`, (before, after) =>
    recorder.observe(before, after),
  );
  const boundInputs = recorder.finish();
  const discomfortOf = (r: ArmResult) =>
    new Map(r.metrics.spaces.filter((m) => m.conditioned).map((m) => [m.spaceKey, m.discomfortKh]));
  const atSchedule = await solveBounds(boundInputs, discomfortOf(fixed), solver);
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
    bound: atSchedule,
  };
  if (o.fixedOnly) {
    lines.push('', BOUND_HEADING, '', ...formatBoundTable(fixed.metrics.spaces, atSchedule));
    return { lines, entry };
  }
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
    // The bound is held to the site's limits: it stands beside the run the targets apply to.
    if (limits === 'schedule') {
      const atQuietWatt = await solveBounds(boundInputs, discomfortOf(qw), solver);
      lines.push(
        '',
        BOUND_HEADING,
        '',
        ...formatBoundTable(fixed.metrics.spaces, atSchedule, {
          spaces: qw.metrics.spaces,
          bounds: atQuietWatt,
        }),
      );
      entry.boundAtQuietWatt = atQuietWatt;
    }
    entry[limits] = {
      verdict: v,
      alerts: qw.alerts,
      outOfBounds: qw.outOfBounds,
      predictionErrors: qw.predictionErrors,
      outdoorForecastErrors: qw.outdoorForecastErrors,
    };
  }
  return { lines, entry };
}
