import { at, inMinutes } from './grid.js';
import { energyCost, slotEnergyKWh } from './hvac-cost.js';
import {
  bandEdgeC,
  demand,
  desiredTargets,
  formatC,
  hvacTuning,
  occupiedAimC,
  relaxSign,
  seasonMode,
  setpointRange,
  type Target,
} from './hvac-targets.js';
import { freeRunningC, type Prediction, predict, slotExtraGainKPerH } from './thermal.js';
import type { ConditioningMode, HvacInput, HvacTuning, PlanInput } from './types.js';
import { SLOT_MINUTES, SLOT_MS } from './types.js';

const SLOT_H = SLOT_MS / 3_600_000;

export interface HvacPlanResult {
  readonly mode: ConditioningMode | null;
  readonly targets: Target[];
  readonly prediction: Prediction;
  readonly energyKWh: number;
  readonly cost: number;
  readonly comfortMarginK: number[];
}

interface Ctx {
  readonly input: PlanInput;
  readonly hvac: HvacInput;
  readonly mode: ConditioningMode;
  readonly tuning: HvacTuning;
  readonly startTempC: number;
  readonly ratedKW: number;
}

function run(ctx: Ctx, targets: readonly Target[], capacityFactor = 1): Prediction {
  return predict(
    ctx.startTempC,
    targets,
    (i) => at(ctx.input.outdoorTempC, i, ctx.startTempC),
    ctx.hvac.rates,
    SLOT_H,
    capacityFactor,
    (i) => slotExtraGainKPerH(ctx.input, ctx.hvac.rates, i),
  );
}

function planCost(ctx: Ctx, targets: readonly Target[]): { cost: number; energy: number; pred: Prediction } {
  const pred = run(ctx, targets);
  const energy = slotEnergyKWh(pred, ctx.ratedKW, ctx.tuning.fanShare, SLOT_H);
  return { cost: energyCost(energy, ctx.input.pricePerKWh), energy: energy.reduce((a, b) => a + b, 0), pred };
}

/** Temperature at the start of slot s under a prediction. */
function tempAtStart(ctx: Ctx, pred: Prediction, s: number): number {
  return s === 0 ? ctx.startTempC : (pred.tempC[s - 1] ?? ctx.startTempC);
}

/**
 * What optimal start must reach by occupancy start: inside the comfort band by the margin (the
 * unit then runs at the occupied setpoint from occupancy start), or the setpoint within the reach
 * tolerance when the setpoint itself lies closer to the band edge than that.
 */
function startGoalC(ctx: Ctx, setpointC: number): { goalC: number; toleranceC: number } {
  const sign = relaxSign(ctx.mode);
  const goalC = occupiedAimC(ctx.hvac.comfort, ctx.mode, ctx.tuning.bandMarginC);
  return sign * (goalC - setpointC) > 0
    ? { goalC, toleranceC: 0 }
    : { goalC: setpointC, toleranceC: ctx.tuning.reachToleranceC };
}

function reached(ctx: Ctx, tempC: number, setpointC: number): boolean {
  const { goalC, toleranceC } = startGoalC(ctx, setpointC);
  return relaxSign(ctx.mode) * (tempC - goalC) <= toleranceC;
}

function isRise(ctx: Ctx, prev: Target, next: Target): boolean {
  return (
    (next.phase === 'occupied' || next.phase === 'relaxed') &&
    demand(next, ctx.mode) > demand(prev, ctx.mode) + 0.05
  );
}

/** Set slots [from, to) to a start command, leaving slots that already ask for more alone. */
function withStart(ctx: Ctx, targets: readonly Target[], from: number, to: number, start: Target): Target[] {
  const out = [...targets];
  for (let i = from; i < to; i++) {
    const cur = out[i];
    if (cur && demand(cur, ctx.mode) < demand(start, ctx.mode)) out[i] = start;
  }
  return out;
}

/** First slot of the schedule's conditioning block that holds slot s (0 when it began before the horizon). */
function scheduleStartSlot(ctx: Ctx, s: number): number {
  let k = Math.min(s, ctx.hvac.schedule.length - 1);
  while (k > 0 && ctx.hvac.schedule[k - 1]?.mode === ctx.mode) k--;
  return ctx.hvac.schedule[k]?.mode === ctx.mode ? k : s;
}

/**
 * Optimal start: the latest start, at the occupied setpoint, from which the derated model is inside
 * the comfort band (by the margin) at the start of occupancy; if none within the longest pre-start,
 * the longest pre-start, and never before the schedule's own start (less `preScheduleStartMinutes`).
 * The setpoint itself is reached with the unit running after that: pulling
 * an empty space all the way to the setpoint beforehand costs energy the fixed schedule never spends,
 * and no discomfort is counted inside the band.
 */
function optimalStart(ctx: Ctx, targets: Target[], s: number): { targets: Target[]; start: number } {
  const goal = targets[s] as Target;
  const sp = goal.setpointC as number;
  const maxPre = Math.floor(ctx.tuning.maxPreStartMinutes / SLOT_MINUTES);
  const preSchedule = Math.floor(ctx.tuning.preScheduleStartMinutes / SLOT_MINUTES);
  const earliest = Math.max(0, s - maxPre, scheduleStartSlot(ctx, s) - preSchedule);
  // Why a start is needed at all: the temperature occupancy would find without one.
  const without = tempAtStart(ctx, run(ctx, targets, ctx.tuning.startCapacityFactor), s);
  const why = `${formatC(without)} predicted at occupancy in ${inMinutes(s)} without it`;
  for (let k = s; k >= earliest; k--) {
    const lead = s - k;
    const start: Target = {
      mode: ctx.mode,
      setpointC: sp,
      phase: 'optimal-start',
      reason: `optimal start: ${inMinutes(lead)} at ${formatC(sp)} to be within ${formatC(startGoalC(ctx, sp).goalC)} by occupancy (${why})`,
    };
    const candidate = withStart(ctx, targets, k, s, start);
    const pred = run(ctx, candidate, ctx.tuning.startCapacityFactor);
    if (reached(ctx, tempAtStart(ctx, pred, s), sp)) return { targets: candidate, start: k };
  }
  const start: Target = {
    mode: ctx.mode,
    setpointC: sp,
    phase: 'optimal-start',
    reason: `optimal start: longest pre-start at ${formatC(sp)}, the band may be reached late (${why})`,
  };
  return { targets: withStart(ctx, targets, earliest, s, start), start: earliest };
}

/**
 * Pre-cooling / pre-heating: start earlier than the optimal start, at the occupied setpoint or
 * deeper (never past the mode's limit), when the tariff makes that cheaper over the whole horizon.
 */
function precondition(ctx: Ctx, targets: Target[], s: number, optimal: number): Target[] {
  const goal = targets[s] as Target;
  const sp = goal.setpointC as number;
  const range = setpointRange(ctx.hvac.comfort, ctx.mode);
  const sign = relaxSign(ctx.mode);
  const maxPre = Math.floor(ctx.tuning.maxPreStartMinutes / SLOT_MINUTES);
  const earliest = Math.max(0, s - maxPre);
  const base = planCost(ctx, targets).cost;
  let best = { cost: base, targets, atOccupancyC: Number.NaN };
  const depths: number[] = [];
  for (let d = 0; d <= 2; d += 0.5) {
    const v = sp - sign * d;
    if (sign * (v - range.deepC) >= -1e-9) depths.push(v);
  }
  for (let k = earliest; k < optimal; k++) {
    for (const v of depths) {
      const pre: Target = {
        mode: ctx.mode,
        setpointC: v,
        phase: 'precondition',
        reason: `${ctx.mode === 'cool' ? 'pre-cooling' : 'pre-heating'} to ${formatC(v)} in a cheaper tariff period`,
      };
      const candidate = withStart(ctx, targets, k, s, pre);
      const { cost, pred } = planCost(ctx, candidate);
      const atOccupancyC = tempAtStart(ctx, pred, s);
      if (cost < best.cost && reached(ctx, atOccupancyC, sp))
        best = { cost, targets: candidate, atOccupancyC };
    }
  }
  if (best.cost < base * (1 - ctx.tuning.preconditionMinSaving) && base - best.cost > 1e-4) {
    const pct = ((1 - best.cost / base) * 100).toFixed(1);
    const by = `${formatC(best.atOccupancyC)} predicted at occupancy in ${inMinutes(s)}`;
    return best.targets.map((t) =>
      t.phase === 'precondition' ? { ...t, reason: `${t.reason} (saves ${pct}%; ${by})` } : t,
    );
  }
  return targets;
}

/**
 * Early stop: the earliest point before occupancy ends (at most the longest early stop) from which
 * the space, with the unit off, stays inside the band edge by the margin until occupancy ends. The
 * plan is remade every 15 minutes from the measured temperature, so a wrong prediction is caught
 * at the next plan, which then keeps the occupied setpoint.
 */
function earlyStop(ctx: Ctx, targets: Target[], blockStart: number, e: number): Target[] {
  const edgeC = bandEdgeC(ctx.hvac.comfort, ctx.mode);
  const sign = relaxSign(ctx.mode);
  const maxEarly = Math.floor(ctx.tuning.maxEarlyStopMinutes / SLOT_MINUTES);
  // A block that began before this plan may coast from its first slot (re-planned every 15 minutes,
  // slot 0 is the only one ever sent); one that begins later runs at least its first slot. Never
  // in the current slot while presence is seen: someone is there now.
  const inProgress = blockStart === 0;
  const present = ctx.input.sensors.occupied === true ? 1 : 0;
  const first = Math.max(inProgress ? 0 : blockStart + 1, e + 1 - maxEarly, present);
  for (let k = first; k <= e; k++) {
    const coast: Target = {
      mode: 'off',
      phase: 'early-stop',
      reason: `early stop: coast inside the band for the last ${inMinutes(e + 1 - k)} of occupancy`,
    };
    const candidate = [...targets];
    for (let i = k; i <= e; i++) candidate[i] = coast;
    const pred = run(ctx, candidate);
    let ok = true;
    for (let i = k; i <= e && ok; i++) {
      const t = pred.tempC[i] ?? Number.NaN;
      if (!(sign * (edgeC - t) >= ctx.tuning.bandMarginC)) ok = false;
    }
    if (ok) return candidate;
  }
  return targets;
}

/**
 * A setback (or after-hours) slot in which the thermostat would sit idle anyway (the space stays
 * inside the band edge by the guard) is commanded off: same temperatures, no fan energy.
 */
function idleSetback(ctx: Ctx, targets: Target[]): Target[] {
  const pred = run(ctx, targets);
  const range = setpointRange(ctx.hvac.comfort, ctx.mode);
  const sign = relaxSign(ctx.mode);
  return targets.map((t, i) => {
    if ((t.phase !== 'setback' && t.phase !== 'after-hours') || t.mode === 'off') return t;
    const temp = pred.tempC[i] ?? Number.NaN;
    const idle = (pred.duty[i] ?? 1) <= 1e-6 && sign * (range.edgeC - temp) >= ctx.tuning.coastGuardC;
    return idle
      ? {
          mode: 'off',
          phase: t.phase,
          reason: `${t.phase === 'after-hours' ? 'after hours' : 'unoccupied'}: off, the space stays inside the band edge ${formatC(range.edgeC)}`,
        }
      : t;
  });
}

/**
 * Plan the space's HVAC: desired targets, then optimal starts (or cheaper pre-conditioning), then
 * early stops, then idle setback slots switched off.
 */
function startTempOf(input: PlanInput, hvac: HvacInput): number {
  const measured = input.sensors.indoorTempC;
  // No (or a broken) indoor reading: assume the free-running temperature, the warmer guess in summer.
  return measured !== undefined && Number.isFinite(measured)
    ? measured
    : freeRunningC(at(input.outdoorTempC, 0, 20), hvac.rates);
}

function ratedKWOf(hvac: HvacInput): number {
  return hvac.devices.reduce((s, d) => s + d.ratedPowerW, 0) / 1000;
}

function resultOf(ctx: Ctx, targets: Target[]): HvacPlanResult {
  const { cost, energy, pred } = planCost(ctx, targets);
  const comfortMarginK = pred.tempC.map((t) =>
    ctx.mode === 'cool' ? ctx.hvac.comfort.comfortHighC - t : t - ctx.hvac.comfort.comfortLowC,
  );
  return { mode: ctx.mode, targets, prediction: pred, energyKWh: energy, cost, comfortMarginK };
}

/**
 * The plan result of targets chosen elsewhere (the predictive planner): the same prediction, energy
 * and comfort margins as a rules plan, so both are judged alike. Null when the space has no HVAC
 * or no season mode.
 */
export function hvacPlanOfTargets(input: PlanInput, targets: Target[]): HvacPlanResult | null {
  const hvac = input.hvac;
  const mode = hvac ? seasonMode(hvac) : null;
  if (!hvac || mode === null) return null;
  const ctx: Ctx = {
    input,
    hvac,
    mode,
    tuning: hvacTuning(hvac),
    startTempC: startTempOf(input, hvac),
    ratedKW: ratedKWOf(hvac),
  };
  return resultOf(ctx, targets);
}

export function planHvac(input: PlanInput): HvacPlanResult | null {
  const hvac = input.hvac;
  if (!hvac) return null;
  const mode = seasonMode(hvac);
  const ratedKW = ratedKWOf(hvac);
  const tuning = hvacTuning(hvac);
  const startTempC = startTempOf(input, hvac);
  if (mode === null) {
    const targets = Array.from(
      { length: 96 },
      (): Target => ({ mode: 'off', phase: 'off', reason: 'no cooling or heating scheduled' }),
    );
    const ctx = { input, hvac, mode: 'cool' as const, tuning, startTempC, ratedKW };
    const pred = run(ctx, targets);
    return {
      mode: null,
      targets,
      prediction: pred,
      energyKWh: 0,
      cost: 0,
      comfortMarginK: pred.tempC.map(() => Number.POSITIVE_INFINITY),
    };
  }
  const ctx: Ctx = { input, hvac, mode, tuning, startTempC, ratedKW };
  let targets = desiredTargets(input, hvac, mode);

  for (let s = 1; s < targets.length; s++) {
    const prev = targets[s - 1] as Target;
    const cur = targets[s] as Target;
    if (!isRise(ctx, prev, cur)) continue;
    const os = optimalStart(ctx, targets, s);
    targets = precondition(ctx, os.targets, s, os.start);
  }
  for (let e = 0; e < targets.length - 1; e++) {
    const cur = targets[e] as Target;
    const next = targets[e + 1] as Target;
    const ending =
      (cur.phase === 'occupied' || cur.phase === 'relaxed') &&
      (next.phase === 'off' || next.phase === 'setback');
    if (!ending) continue;
    let blockStart = e;
    while (blockStart > 0 && ['occupied', 'relaxed'].includes((targets[blockStart - 1] as Target).phase))
      blockStart--;
    targets = earlyStop(ctx, targets, blockStart, e);
  }
  targets = idleSetback(ctx, targets);
  return resultOf(ctx, targets);
}
