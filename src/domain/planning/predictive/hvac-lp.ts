import { at, clamp } from '../grid.js';
import {
  hvacTuning,
  occupiedAimC,
  relaxSign,
  seasonMode,
  setpointRange,
  type Target,
} from '../hvac-targets.js';
import { predict, slotExtraGainKPerH } from '../thermal.js';
import type { ConditioningMode, PlanInput } from '../types.js';
import { HORIZON_SLOTS, SLOT_MINUTES, SLOT_MS } from '../types.js';
import { type LpBound, type LpModel, type LpRow, type LpTerm, lpText } from './lp-text.js';
import { scheduleCommands } from './schedule-shadow.js';

const SLOT_H = SLOT_MS / 3_600_000;
/** How far the floor gives way, K: far below any sensor's resolution, far above rounding. */
const FLOOR_GIVE_K = 1e-3;

/** Tunables of the predictive planner; `DEFAULT_PREDICTIVE_TUNING` holds the shipped values. */
export interface PredictiveTuning {
  /** Share of the learned capacity the plan may count on (a margin against model error). */
  readonly capacityFactor: number;
  /**
   * Most a comfort point may lie outside its limit, K. A day that needs more is outside what the
   * model knows (a broken sensor, a wrong model): the program is then infeasible and the rules plan.
   * A cold snap's morning lies 11 K below a 20.5 °C aim in the bench: the cap sits well past that.
   */
  readonly maxSlackK: number;
  /** Cost of one K·h outside the band, in hours of the unit at full output at the dearest price. */
  readonly discomfortWeightH: number;
  /** Weight of the band edge in unoccupied scheduled slots, relative to occupied ones. */
  readonly setbackWeight: number;
  /**
   * Share of the fixed schedule's own predicted occupied discomfort the plan may spend at no
   * discomfort cost, to save energy. 0: hold the band wherever physics allows, whatever it costs.
   * The schedule is the comfort standard residents know: on a day it cannot hold the band either,
   * the plan stays better than it (by a quarter, by default: a margin for the model's error) instead
   * of buying every K·h back.
   */
  readonly scheduleDiscomfortShare: number;
  /** Cost of a K·h within that allowance, as a share of the full weight (a tie-break toward comfort). */
  readonly allowanceWeight: number;
  /**
   * Slots from the start whose running is an on/off decision (a binary each), so that the fans'
   * cost is counted as it falls: a mixed-integer program. Later slots count the fans in proportion
   * to output, the program's relaxation: only the first slot is carried out before the next plan,
   * and a binary per slot of the day made a solve about 40 times slower.
   */
  readonly switchedSlots: number;
}

export const DEFAULT_PREDICTIVE_TUNING: PredictiveTuning = {
  capacityFactor: 0.9,
  maxSlackK: 20,
  discomfortWeightH: 50,
  setbackWeight: 0.25,
  scheduleDiscomfortShare: 0.75,
  allowanceWeight: 0.0005,
  switchedSlots: 12,
};

/** Where a temperature point must lie: `sign * T <= sign * limitC + slack` (sign: +1 cool, -1 heat). */
export interface ComfortPoint {
  /** Temperature point: the end of slot `point - 1` (1..N). */
  readonly point: number;
  readonly limitC: number;
  readonly weight: number;
  readonly occupied: boolean;
}

/**
 * One space's predictive HVAC program over the horizon, with everything needed to read its solution
 * back: the discrete model T[k+1] = decay T[k] + driftC[k] + perOutputC u[k], u in [0, uMax[k]].
 */
export interface HvacLp {
  readonly spaceId: string;
  readonly mode: ConditioningMode;
  readonly slots: number;
  readonly startTempC: number;
  readonly decay: number;
  readonly driftC: readonly number[];
  readonly perOutputC: number;
  readonly uMax: readonly number[];
  /** Hard bound of each point 1..N on the demanding side (cool: lowest, heat: highest), °C. */
  readonly floorC: readonly number[];
  readonly comfort: readonly ComfortPoint[];
  /**
   * Occupied discomfort the plan may spend at the allowance's low weight, K·slot: a share of what
   * the fixed schedule is predicted to leave (0 when the schedule holds the band).
   */
  readonly allowanceKSlots: number;
  /** The rules' targets the program stands in for (phases, schedule hours). */
  readonly rules: readonly Target[];
  readonly tuning: PredictiveTuning;
  readonly lpText: string;
}

export const uName = (k: number): string => `u${k}`;
/** Whether the unit runs in slot k (1) or is off (0). */
export const onName = (k: number): string => `o${k}`;
export const tName = (j: number): string => `t${j}`;
export const sName = (j: number): string => `s${j}`;
/** Occupied slack beyond the schedule's allowance, K·slot. */
const EXCESS = 'excess';

/**
 * Occupied discomfort the fixed schedule is predicted to leave over the horizon, K·slot past the
 * plan's own occupied limits: the schedule's setpoints on its hours, followed by a thermostat with
 * the capacity the plan counts on.
 */
function scheduleDiscomfortKSlots(
  input: PlanInput,
  mode: ConditioningMode,
  startTempC: number,
  comfort: readonly ComfortPoint[],
  tuning: PredictiveTuning,
): number {
  const hvac = input.hvac;
  if (!hvac || tuning.scheduleDiscomfortShare <= 0 || comfort.length === 0) return 0;
  const commands = scheduleCommands(input, mode, HORIZON_SLOTS);
  const pred = predict(
    startTempC,
    commands,
    (k) => at(input.outdoorTempC, k, startTempC),
    hvac.rates,
    SLOT_H,
    tuning.capacityFactor,
    (k) => slotExtraGainKPerH(input, hvac.rates, k),
  );
  const sign = relaxSign(mode);
  let sum = 0;
  for (const c of comfort) {
    if (!c.occupied) continue;
    const t = pred.tempC[c.point - 1];
    if (t !== undefined) sum += Math.max(0, sign * (t - c.limitC));
  }
  return sum;
}

const COMFORT_PHASES = new Set(['occupied', 'relaxed', 'after-hours']);

/** Whether the predictive planner can plan the space: HVAC in one season mode and a measured indoor temperature. */
export function predictable(input: PlanInput): boolean {
  const t = input.sensors.indoorTempC;
  return input.hvac !== undefined && seasonMode(input.hvac) !== null && t !== undefined && Number.isFinite(t);
}

/** Slots in which the unit may run: scheduled hours of the mode, and the pre-start window before them. */
function runnable(input: PlanInput, mode: ConditioningMode, rules: readonly Target[]): number[] {
  const hvac = input.hvac;
  const tuning = hvac ? hvacTuning(hvac) : undefined;
  const preSlots = Math.floor((tuning?.maxPreStartMinutes ?? 0) / SLOT_MINUTES);
  const on = rules.map((t, k) => {
    const sched = hvac?.schedule[Math.min(k, (hvac?.schedule.length ?? 1) - 1)];
    return sched?.mode === mode || t.mode === mode;
  });
  return on.map((isOn, k) => {
    if (isOn) return 1;
    for (let j = k + 1; j <= Math.min(on.length - 1, k + preSlots); j++) if (on[j]) return 1;
    return 0;
  });
}

/**
 * The program. Variables: output share u[k] per slot, temperature t[j] at the end of each slot,
 * slack s[j] outside the comfort limit. Cost: energy at the tariff's price plus discomfort at a
 * high weight, so comfort comes first where physics allows and the slack says where it does not.
 * The floor keeps every planned temperature reachable by a thermostat within the setpoint limits:
 * no colder (cool) than the deepest setpoint, unless the space drifts there on its own.
 */
export function buildHvacLp(
  input: PlanInput,
  rules: readonly Target[],
  tuning: PredictiveTuning = DEFAULT_PREDICTIVE_TUNING,
): HvacLp | undefined {
  const hvac = input.hvac;
  const startTempC = input.sensors.indoorTempC;
  if (!hvac || startTempC === undefined || !Number.isFinite(startTempC)) return undefined;
  const mode = seasonMode(hvac);
  if (mode === null) return undefined;
  const n = Math.min(HORIZON_SLOTS, rules.length);
  const sign = relaxSign(mode);
  const hvacTune = hvacTuning(hvac);
  const range = setpointRange(hvac.comfort, mode);
  const { aPerH, gainKPerH } = hvac.rates;
  const capacityKPerH =
    (mode === 'cool' ? hvac.rates.coolKPerH : hvac.rates.heatKPerH) * tuning.capacityFactor;
  const coupled = aPerH > 1e-9;
  const decay = coupled ? Math.exp(-aPerH * SLOT_H) : 1;
  const gainShare = coupled ? (1 - decay) / aPerH : SLOT_H;
  const driftC = Array.from(
    { length: n },
    (_, k) =>
      (1 - decay) * at(input.outdoorTempC, k, startTempC) +
      gainShare * (gainKPerH + slotExtraGainKPerH(input, hvac.rates, k)),
  );
  const perOutputC = gainShare * capacityKPerH;
  const uMax = runnable(input, mode, rules.slice(0, n));

  // Free-running temperatures: the floor never asks for more than drifting there on its own. It
  // gives way by a hair, so that the free-running path itself stays feasible after the rounding of
  // the program's text (else a floor equal to it reads as infeasible at the solver's tolerances).
  const floorC: number[] = [];
  let free = startTempC;
  for (let k = 0; k < n; k++) {
    free = decay * free + (driftC[k] ?? 0);
    floorC.push((sign > 0 ? Math.min(range.deepC, free) : Math.max(range.deepC, free)) - sign * FLOOR_GIVE_K);
  }

  const occupiedLimitC = occupiedAimC(hvac.comfort, mode, hvacTune.bandMarginC);
  const comfort: ComfortPoint[] = [];
  for (let j = 1; j <= n; j++) {
    // A point is the end of slot j-1 and the start of slot j: either slot's need applies.
    const around = [rules[j - 1], rules[j]].filter((t): t is Target => t !== undefined);
    if (around.some((t) => COMFORT_PHASES.has(t.phase))) {
      comfort.push({ point: j, limitC: occupiedLimitC, weight: 1, occupied: true });
    } else if (around.some((t) => t.phase === 'setback')) {
      comfort.push({ point: j, limitC: range.edgeC, weight: tuning.setbackWeight, occupied: false });
    }
  }

  const ratedKW = Math.max(0.1, hvac.devices.reduce((s, d) => s + d.ratedPowerW, 0) / 1000);
  const maxPrice = Math.max(1e-6, ...Array.from({ length: n }, (_, k) => at(input.pricePerKWh, k, 1)));
  const discomfortPerKh = tuning.discomfortWeightH * maxPrice * ratedKW;
  const allowanceKSlots =
    tuning.scheduleDiscomfortShare *
    scheduleDiscomfortKSlots(input, mode, hvac.scheduleShadowTempC ?? startTempC, comfort, tuning);

  // Occupied slack costs the low allowance weight up to the allowance and the full weight beyond
  // it (the excess variable); setback slack always costs its own weight.
  const objective: LpTerm[] = [];
  // What the units draw whenever they run (their fans: `hvacTuning`): a slot the unit runs in costs
  // that much on top of its output, so the plan prefers fewer running slots at a higher output to a
  // unit idling all day.
  const fanShare = clamp(hvacTune.fanShare, 0, 0.5);
  // Slots whose running is an on/off decision: the unit may run there, and the fans are counted.
  const switchedUntil = fanShare > 0 ? Math.min(n, tuning.switchedSlots) : 0;
  const isSwitched = (k: number): boolean => k < switchedUntil && (uMax[k] ?? 0) > 0;
  const switched = Array.from({ length: switchedUntil }, (_, k) => k).filter(isSwitched);
  for (let k = 0; k < n; k++) {
    const slotKWhCost = Math.max(0, at(input.pricePerKWh, k, 1)) * ratedKW * SLOT_H;
    const onOff = isSwitched(k);
    objective.push({ coef: slotKWhCost * (onOff ? 1 - fanShare : 1), name: uName(k) });
    if (onOff) objective.push({ coef: slotKWhCost * fanShare, name: onName(k) });
  }
  for (const c of comfort)
    objective.push({
      coef: discomfortPerKh * (c.occupied ? tuning.allowanceWeight : c.weight) * SLOT_H,
      name: sName(c.point),
    });
  objective.push({ coef: discomfortPerKh * SLOT_H, name: EXCESS });

  const rows: LpRow[] = [];
  for (let k = 0; k < n; k++) {
    const terms: LpTerm[] = [
      { coef: 1, name: tName(k + 1) },
      { coef: -perOutputC, name: uName(k) },
    ];
    if (k > 0) terms.push({ coef: -decay, name: tName(k) });
    const rhs = (driftC[k] ?? 0) + (k === 0 ? decay * startTempC : 0);
    rows.push({ name: `d${k}`, terms, op: '=', rhs });
  }
  for (const c of comfort)
    rows.push({
      name: `c${c.point}`,
      terms: [
        { coef: sign, name: tName(c.point) },
        { coef: -1, name: sName(c.point) },
      ],
      op: '<=',
      rhs: sign * c.limitC,
    });

  // Output only in a slot the unit runs in.
  for (const k of switched)
    rows.push({
      name: `r${k}`,
      terms: [
        { coef: 1, name: uName(k) },
        { coef: -(uMax[k] ?? 0), name: onName(k) },
      ],
      op: '<=',
      rhs: 0,
    });

  const occupiedPoints = comfort.filter((c) => c.occupied);
  if (occupiedPoints.length > 0)
    rows.push({
      name: 'allowance',
      terms: [...occupiedPoints.map((c) => ({ coef: 1, name: sName(c.point) })), { coef: -1, name: EXCESS }],
      op: '<=',
      rhs: allowanceKSlots,
    });

  const bounds: LpBound[] = [{ name: EXCESS, lo: 0, hi: Number.POSITIVE_INFINITY }];
  for (let k = 0; k < n; k++) bounds.push({ name: uName(k), lo: 0, hi: uMax[k] ?? 0 });
  for (let j = 1; j <= n; j++) {
    const f = floorC[j - 1] ?? range.deepC;
    bounds.push(
      sign > 0
        ? { name: tName(j), lo: f, hi: Number.POSITIVE_INFINITY }
        : { name: tName(j), lo: Number.NEGATIVE_INFINITY, hi: f },
    );
  }
  for (const c of comfort) bounds.push({ name: sName(c.point), lo: 0, hi: tuning.maxSlackK });
  for (const k of switched) bounds.push({ name: onName(k), lo: 0, hi: 1 });
  const model: LpModel = { objective, rows, bounds, binaries: switched.map(onName) };
  return {
    spaceId: input.spaceId,
    mode,
    slots: n,
    startTempC,
    decay,
    driftC,
    perOutputC,
    uMax,
    floorC,
    comfort,
    allowanceKSlots,
    rules: rules.slice(0, n),
    tuning,
    lpText: lpText(model),
  };
}
