/**
 * Planning bench: one plan round of 200 HVAC spaces over 24 h, as the control service makes it
 * (`planRound`): every space's linear program solved by HiGHS in the worker thread, each answer
 * checked and turned into setpoints, then the rules' plan of only the spaces whose program was
 * refused (or that have none). Reports the round's wall time, the main thread's share of it (the
 * round less the wait for the worker), the solve times, the statuses, and the main thread's
 * event-loop delay while the rounds run (what MQTT handling would see). `--time-limit-ms 1` stops
 * every program at once: the worst case, where the rules plan every space after the wait. The
 * round is planned at `--hour` (14:00 by default), when every unit runs: its first slots are then
 * on/off decisions (the fans' cost), the mixed-integer part of the program; planned at night, the
 * first slots have no unit to run and each program is a linear one.
 *
 *   npm run bench:planner [-- --spaces 200 --rounds 3 --seed 7 --time-limit-ms 60000 --hour 14]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WorkerLpSolver } from '../src/adapters/solver/worker-lp-solver.js';
import { DEFAULT_COMFORT } from '../src/domain/planning/defaults.js';
import { HORIZON_SLOTS, type PlanInput } from '../src/domain/planning/types.js';
import { planRound, predictiveRound } from '../src/services/control/predictive-round.js';
import { silentLogger } from '../src/sim/bench/service-arm.js';
import { numberArg } from './args.js';

const spaces = numberArg('spaces', 200);
const rounds = numberArg('rounds', 3);
let seed = numberArg('seed', 7);
const timeLimitMs = numberArg('time-limit-ms', 60_000);
const hour = numberArg('hour', 14);
/** Slot of the day (from midnight) of the plan's slot k. */
const daySlot = (k: number) => (k + hour * 4) % HORIZON_SLOTS;
const random = () => {
  // Deterministic inputs (mulberry32), so runs compare.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const between = (lo: number, hi: number) => lo + (hi - lo) * random();

/** A July day of a shared space: its own schedule, occupancy, unit and thermal response. */
function spaceInput(i: number, startMs: number): PlanInput {
  const from = 24 + Math.floor(random() * 12); // 06:00-08:45
  const to = 80 + Math.floor(random() * 16); // 20:00-23:45
  const peakC = between(33, 39);
  const heatWave = random() < 0.3;
  return {
    spaceId: `space-${i}`,
    spaceType: 'lobby',
    startMs,
    occupancyProbability: Array.from({ length: HORIZON_SLOTS }, (_, k) =>
      daySlot(k) >= from && daySlot(k) < to ? between(0.3, 0.95) : 0.02,
    ),
    outdoorTempC: Array.from(
      { length: HORIZON_SLOTS },
      (_, k) => peakC - 7 + 7 * Math.sin(((daySlot(k) / 4 - 9) / 24) * 2 * Math.PI) + (heatWave ? 2 : 0),
    ),
    // A time-of-use tariff: valley at night, peak in the afternoon.
    pricePerKWh: Array.from({ length: HORIZON_SLOTS }, (_, k) =>
      daySlot(k) < 32 ? 0.3 : daySlot(k) >= 56 && daySlot(k) < 80 ? 1.2 : 0.7,
    ),
    sensors: { indoorTempC: between(25, 31), occupied: random() < 0.5 },
    hvac: {
      devices: [{ deviceId: `ac-${i}`, ratedPowerW: Math.round(between(3000, 12000)), setpointStepC: 0.5 }],
      comfort: { ...DEFAULT_COMFORT, coolSetpointMinC: 24, comfortLowC: 20, comfortHighC: 27 },
      rates: {
        aPerH: between(0.15, 0.6),
        gainKPerH: between(0.3, 1.5),
        coolKPerH: -between(2.5, 7),
        heatKPerH: between(2, 6),
      },
      schedule: Array.from({ length: HORIZON_SLOTS }, (_, k) =>
        daySlot(k) >= from && daySlot(k) < to
          ? { mode: 'cool' as const, setpointC: 24 }
          : { mode: 'off' as const },
      ),
    },
  };
}

const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

const solver = new WorkerLpSolver();
const startMs = Date.UTC(2026, 6, 15, 16) + hour * 3_600_000;
const inputs = Array.from({ length: spaces }, (_, i) => spaceInput(i, startMs));
// The worker loads HiGHS once; that start is not part of a round.
await predictiveRound([{ key: 'warm-up', input: spaceInput(-1, startMs) }], startMs, {
  solver,
  log: silentLogger,
  timeLimitMs: 60_000,
});

const rows: string[] = [];
const loop = monitorEventLoopDelay({ resolution: 10 });
for (let r = 0; r < rounds; r++) {
  loop.reset();
  loop.enable();
  const t0 = performance.now();
  let waitMs = 0;
  const solveMs: number[] = [];
  const statuses = new Map<string, number>();
  const countingSolver = {
    solve: async (...a: Parameters<WorkerLpSolver['solve']>) => {
      const t = performance.now();
      const answers = await solver.solve(...a);
      waitMs += performance.now() - t;
      for (const x of answers) {
        solveMs.push(x.solveMs);
        statuses.set(x.status, (statuses.get(x.status) ?? 0) + 1);
      }
      return answers;
    },
    close: () => solver.close(),
  };
  const out = await planRound(
    inputs.map((input) => ({ key: input.spaceId, input })),
    startMs,
    { log: silentLogger, predictive: { solver: countingSolver, timeLimitMs } },
  );
  const roundS = (performance.now() - t0) / 1000;
  const mainS = roundS - waitMs / 1000;
  loop.disable();
  const predictive = [...out.values()].filter((o) => o.planner === 'predictive').length;
  rows.push(
    `| ${r + 1} | ${roundS.toFixed(2)} | ${mainS.toFixed(2)} | ${(waitMs / 1000).toFixed(2)} | ${pct(solveMs, 50).toFixed(1)} / ${pct(solveMs, 95).toFixed(1)} / ${Math.max(...solveMs).toFixed(1)} | ${predictive}/${spaces} | ${out.size - predictive} | ${[...statuses].map(([k, n]) => `${k} ${n}`).join(', ')} | ${(loop.percentile(99) / 1e6).toFixed(1)} | ${(loop.max / 1e6).toFixed(1)} |`,
  );
}
await solver.close();

process.stdout.write(
  [
    `Planning bench: ${spaces} HVAC spaces, 24 h in 15-minute slots from ${hour}:00, ${rounds} rounds; HiGHS in one worker thread, time limit ${timeLimitMs} ms; Node ${process.version}`,
    '',
    '| round | round s | main thread s | solver wait s (worker) | solve ms p50 / p95 / max | predictive plans | rules plans | statuses | event-loop delay p99 ms | max ms |',
    '|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|',
    ...rows,
    '',
    'Goals: a round within 60 s; event-loop delay p99 under 50 ms while it runs.',
    '',
  ].join('\n'),
);
