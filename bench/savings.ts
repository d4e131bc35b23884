/**
 * Savings bench: the demo community (config/default.yaml) run twice over the same seeded weather,
 * people and resident overrides, four weeks in summer and four in winter, once on today's fixed
 * schedules and once under QuietWatt in active mode (planner + safety layer, publishing over an
 * in-process MQTT bus to the simulated controllers). One-minute steps. Prints the comparison per
 * space and in total, and whether it passes.
 *
 *   npm run bench:savings [-- --weeks 4 --learn-days 14 --seed 1 --tariff <id> --season summer|winter --core --fixed-only --json]
 *
 * `--season` runs one season only (to try a change quickly); the pass line then speaks of it alone.
 * Each season also prints the perfect-knowledge bound (src/sim/bench/hvac-bound.ts): the least
 * energy any controller could have used at the schedule's discomfort; `--fixed-only` prints only the
 * fixed runs' bound, in seconds.
 *
 *   npm run bench:savings -- --scenario heat-wave|cold-snap|extremes [--learn-days 14 --core --fixed-only --rules]
 *
 * `--scenario` runs the extreme scenarios instead (src/sim/bench/scenarios.ts): a heat wave and a cold
 * snap with HVAC units the fixed schedule runs at 95 % or more of their capacity, each compared twice
 * (the site's limits at the schedule's own setpoints, and the default limits) against the issue's
 * targets. `--fixed-only` runs only their fixed schedules: how the units were sized, and the bound.
 *
 * The QuietWatt arm runs the real sensor and control services, with the predictive HVAC planner
 * (HiGHS in a worker) and the outdoor forecast learned from the site's own sensor history; `--rules`
 * plans HVAC by the rules alone. `--core` runs instead the planner and
 * safety layer driven directly (daylight use and learned thermal rates, which the services do not yet
 * pass to the planner).
 */
import { MultiBar, Presets } from 'cli-progress';
import { loadConfigFile } from '../src/adapters/config-file/load.js';
import { WorkerLpSolver } from '../src/adapters/solver/worker-lp-solver.js';
import type { QuietWattConfig } from '../src/config/schema/index.js';
import { TARIFF_PRESETS } from '../src/domain/tariff/presets.js';
import type { Tariff } from '../src/domain/tariff/types.js';
import { BoundRecorder, type SpaceBoundInputs } from '../src/sim/bench/bound-recorder.js';
import { BOUND_HEADING, formatBoundTable } from '../src/sim/bench/bound-report.js';
import { solveBounds } from '../src/sim/bench/perfect-bound.js';
import { compare, formatTable } from '../src/sim/bench/report.js';
import { type Arm, type ArmResult, runArm } from '../src/sim/bench/run-arm.js';
import { runScenarios } from '../src/sim/bench/run-scenarios.js';
import { TARGET_SAVING_PCT } from '../src/sim/bench/scenario-report.js';
import { EXTREME_SCENARIOS } from '../src/sim/bench/scenarios.js';
import { buildCommunityModel } from '../src/sim/model/build.js';
import { argValue } from './args.js';

const weeks = Number(argValue('weeks') ?? 4);
const learnDays = Number(argValue('learn-days') ?? 14);
const json = process.argv.includes('--json');
const loaded = loadConfigFile(argValue('config') ?? 'config/default.yaml');
if (!loaded.ok) {
  process.stderr.write(`${loaded.errors.map((e) => e.message).join('\n')}\n`);
  process.exit(2);
}
const base = structuredClone(loaded.config) as QuietWattConfig;
const seed = argValue('seed');
const config: QuietWattConfig = {
  ...base,
  simulator: { ...base.simulator, ...(seed === undefined ? {} : { seed: Number(seed) }) },
  // The QuietWatt arm runs every space in active mode; the fixed arm never runs the service at all.
  control: { ...base.control, defaultMode: 'active', spaces: [] },
};
const tariffId = argValue('tariff') ?? config.tariffs.defaultTariff;
const tariff: Tariff | undefined = [...(config.tariffs.tariffs as readonly Tariff[]), ...TARIFF_PRESETS].find(
  (t) => t.id === tariffId,
);
if (!tariff) {
  process.stderr.write(`unknown tariff ${tariffId}\n`);
  process.exit(2);
}

/** `--rules`: the services arm plans HVAC by the rules alone (the predictive planner is the default). */
const planner = process.argv.includes('--rules') ? ('rules' as const) : ('predictive' as const);
const scenario = argValue('scenario');
if (scenario !== undefined) {
  const chosen = EXTREME_SCENARIOS.filter((s) => scenario === 'extremes' || s.name === scenario);
  if (chosen.length === 0) {
    process.stderr.write(`unknown scenario ${scenario} (heat-wave, cold-snap or extremes)\n`);
    process.exit(2);
  }
  const scenarioBars = new MultiBar(
    {
      stream: process.stderr,
      format: '{label} |{bar}| {percentage}% | {value}/{total} simulated h | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    Presets.shades_classic,
  );
  const t0 = Date.now();
  const core = process.argv.includes('--core');
  const { lines, json: summary } = await runScenarios({
    base: config,
    scenarios: chosen,
    tariff,
    learnDays,
    qwArm: core ? 'core' : 'quietwatt',
    fixedOnly: process.argv.includes('--fixed-only'),
    planner,
    onRun: (label, total) => {
      const bar = scenarioBars.create(total, 0, { label: label.padEnd(34) });
      return (h) => bar.update(Math.round(h));
    },
  });
  scenarioBars.stop();
  const runtimeS = (Date.now() - t0) / 1000;
  const head = `QuietWatt savings bench, extreme scenarios: ${config.sites.map((s) => s.name ?? s.id).join(', ')}; seed ${config.simulator.seed}; tariff ${tariff.id}; QuietWatt arm: ${core ? 'planner + safety layer driven directly' : `control and sensor services, ${planner === 'rules' ? 'rules planner only' : 'predictive HVAC planner'}`}; 1-minute steps; runtime ${runtimeS.toFixed(0)} s`;
  if (json) process.stdout.write(`${JSON.stringify({ runtimeS, ...(summary as object) }, null, 2)}\n`);
  else process.stdout.write(`${[head, ...lines, ''].join('\n')}\n`);
  process.exit(0);
}

// Mondays at local midnight (Asia/Shanghai = UTC+8): the heart of each conditioning season.
const season = argValue('season');
const periods = [
  { name: 'summer', startMs: Date.UTC(2026, 6, 5, 16) },
  { name: 'winter', startMs: Date.UTC(2026, 0, 4, 16) },
].filter((p) => season === undefined || p.name === season);
if (periods.length === 0) {
  process.stderr.write(`unknown season ${season} (summer or winter)\n`);
  process.exit(2);
}
const days = weeks * 7;
const qwArm: Arm = process.argv.includes('--core') ? 'core' : 'quietwatt';
// `--fixed-only`: the fixed schedules and the perfect-knowledge bound beside them, in seconds.
const fixedOnly = process.argv.includes('--fixed-only');
const arms: Arm[] = fixedOnly ? ['fixed'] : ['fixed', qwArm];
const boundInputs = new Map<string, SpaceBoundInputs[]>();

const bars = new MultiBar(
  {
    stream: process.stderr,
    format: '{label} |{bar}| {percentage}% | {value}/{total} simulated h | {duration_formatted}',
    hideCursor: true,
    clearOnComplete: false,
    // Without a terminal (CI logs, a pipe) print a line every 10 s instead of redrawing.
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  },
  Presets.shades_classic,
);
const results = new Map<string, ArmResult>();
const started = Date.now();
for (const p of periods) {
  for (const arm of arms) {
    const total = (learnDays + days) * 24;
    const bar = bars.create(total, 0, { label: `${p.name.padEnd(6)} ${arm.padEnd(9)}` });
    // The seasons' units cool in summer and heat in winter: the bound models that mode.
    const recorder =
      arm === 'fixed'
        ? new BoundRecorder(buildCommunityModel(config), config, p.name === 'summer' ? 'cool' : 'heat')
        : undefined;
    const r = await runArm({
      config,
      arm,
      tariff,
      startMs: p.startMs,
      days,
      learnDays,
      planner,
      ...(recorder ? { onStep: (before, after) => recorder.observe(before, after) } : {}),
      onProgress: (h) => bar.update(Math.round(h)),
    });
    if (recorder) boundInputs.set(p.name, recorder.finish());
    bar.update(total);
    results.set(`${p.name}/${arm === 'fixed' ? 'fixed' : 'quietwatt'}`, r);
  }
}
bars.stop();
const runtimeS = (Date.now() - started) / 1000;

const get = (key: string): ArmResult => {
  const r = results.get(key);
  if (!r) throw new Error(`missing run ${key}`);
  return r;
};
const out: Record<string, unknown> = {};
const lines: string[] = [];
lines.push(
  `QuietWatt savings bench: ${config.sites.map((s) => s.name ?? s.id).join(', ')}; seed ${config.simulator.seed}; ${weeks} weeks per season after ${learnDays} learning days; tariff ${tariff.id}; QuietWatt arm: ${qwArm === 'core' ? 'planner + safety layer driven directly' : 'control and sensor services'}; 1-minute steps; runtime ${runtimeS.toFixed(0)} s`,
);
const solver = new WorkerLpSolver();
const discomfortOf = (r: ArmResult) =>
  new Map(r.metrics.spaces.filter((m) => m.conditioned).map((m) => [m.spaceKey, m.discomfortKh]));
/** The perfect-knowledge bound of a season's fixed run, beside QuietWatt's run when there is one. */
async function boundLines(name: string): Promise<string[]> {
  const fixed = get(`${name}/fixed`);
  const inputs = boundInputs.get(name) ?? [];
  const atSchedule = await solveBounds(inputs, discomfortOf(fixed), solver);
  const qw = results.get(`${name}/quietwatt`);
  const comparison = qw
    ? { spaces: qw.metrics.spaces, bounds: await solveBounds(inputs, discomfortOf(qw), solver) }
    : undefined;
  out[`${name}Bound`] = { atSchedule, ...(comparison ? { atQuietWatt: comparison.bounds } : {}) };
  return ['', BOUND_HEADING, '', ...formatBoundTable(fixed.metrics.spaces, atSchedule, comparison)];
}
const seasonHeading = (p: (typeof periods)[number]) =>
  `## ${p.name} (${new Date(p.startMs + 8 * 3_600_000).toISOString().slice(0, 10)}, ${days} days)`;
if (fixedOnly) {
  for (const p of periods) lines.push('', seasonHeading(p), ...(await boundLines(p.name)));
  await solver.close();
  if (json) process.stdout.write(`${JSON.stringify({ runtimeS, ...out }, null, 2)}\n`);
  else process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(0);
}
const seasonal: { name: string; c: ReturnType<typeof compare> }[] = [];
for (const p of periods) {
  const c = compare([get(`${p.name}/fixed`).metrics], [get(`${p.name}/quietwatt`).metrics]);
  seasonal.push({ name: p.name, c });
  lines.push('', seasonHeading(p), '', formatTable(c), ...(await boundLines(p.name)));
  out[p.name] = c;
}
await solver.close();
const fixedAll = periods.map((p) => get(`${p.name}/fixed`).metrics);
const qwAll = periods.map((p) => get(`${p.name}/quietwatt`).metrics);
const both = compare(fixedAll, qwAll);
out.both = both;
lines.push(
  '',
  `## ${periods.length === 2 ? 'both seasons' : 'all measured'} (${periods.length * days} days)`,
  '',
  formatTable(both),
  '',
);
const qw = periods.map((p) => get(`${p.name}/quietwatt`));
const published = qw.reduce((n, r) => n + (r.dispatcher?.published ?? 0), 0);
const acked = qw.reduce((n, r) => n + (r.dispatcher?.acknowledged ?? 0), 0);
const outOfBounds = qw.reduce((n, r) => n + r.outOfBounds, 0);
const overrides = qw.reduce((n, r) => n + r.controllers.overrides, 0);
const rejected = qw.reduce((n, r) => n + r.controllers.rejected, 0);
lines.push(
  `QuietWatt arm: ${published} messages published, ${acked} ${qwArm === 'core' ? 'setpoints acknowledged' : 'devices with their latest setpoint acknowledged at the end'}, ${rejected} rejected by controllers, ${outOfBounds} values out of bounds; ${overrides} resident overrides (the same in both arms).`,
);
// Comfort is judged season by season and space by space: a gain in winter does not buy a loss in summer.
const worse = seasonal.flatMap(({ name, c }) =>
  c.rows
    .filter((r) => r.conditioned && r.quietwattDiscomfortKh > r.fixedDiscomfortKh + 1e-6)
    .map(
      (r) =>
        `${name} ${r.label} ${r.fixedDiscomfortKh.toFixed(2)} → ${r.quietwattDiscomfortKh.toFixed(2)} K·h`,
    ),
);
const discomfortOk = both.pass.discomfort && worse.length === 0;
const pass = {
  ...both.pass,
  discomfort: discomfortOk,
  all: both.pass.energy && discomfortOk && both.pass.underLit,
};
out.pass = { ...pass, discomfortWorse: worse };
if (worse.length > 0) lines.push(`More discomfort than the fixed schedule in: ${worse.join('; ')}.`);
lines.push(
  `Pass: energy ${both.controllable.energySavedPct.toFixed(1)} % saved (controllable lighting + HVAC, need >= 25 %): ${pass.energy ? 'yes' : 'NO'}; ` +
    `discomfort ${both.controllable.quietwattDiscomfortKh.toFixed(2)} vs ${both.controllable.fixedDiscomfortKh.toFixed(2)} K·h (no more, in total and per space and season): ${pass.discomfort ? 'yes' : 'NO'}; ` +
    `under-lit occupied hours ${both.controllable.quietwattUnderLitH.toFixed(2)} (need 0; besides ${both.controllable.quietwattManualUnderLitH.toFixed(2)} h under a resident's override or its hold, fixed ${both.controllable.fixedManualUnderLitH.toFixed(2)} h): ${pass.underLit ? 'yes' : 'NO'}; ` +
    `overall: ${pass.all ? 'PASS' : 'FAIL'}`,
);
// Issue #11 asks for its target in each season, with no more discomfort in any space (the line above).
lines.push(
  `Each season against ${TARGET_SAVING_PCT} % (lighting + HVAC): ${seasonal
    .map(({ name, c }) => {
      const saved = c.controllable.energySavedPct;
      return `${name} ${saved.toFixed(1)} % ${saved >= TARGET_SAVING_PCT ? 'yes' : 'NO'}`;
    })
    .join('; ')}`,
);
if (json) process.stdout.write(`${JSON.stringify({ runtimeS, ...out }, null, 2)}\n`);
else process.stdout.write(`${lines.join('\n')}\n`);
