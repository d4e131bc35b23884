import { formatC, relaxSign, type Target } from '../hvac-targets.js';
import { SLOT_MINUTES } from '../types.js';
import { type HvacLp, sName, tName, uName } from './hvac-lp.js';

/** What the solver answered for one program (the port's shape, restated so the core imports no port). */
export interface LpAnswer {
  readonly status: string;
  /** Primal value per column name. */
  readonly columns: Readonly<Record<string, number>>;
}

/** Below this output share a slot counts as idle: the thermostat would not start for it. */
const IDLE_OUTPUT = 0.01;
/** How far a solution may break its own model and still be trusted, K (solver tolerances are 1e-7). */
const RESIDUAL_TOLERANCE_K = 1e-4;
/** Slack below this is solver noise, K. */
const SLACK_NOISE_K = 0.05;

export interface LpTrajectory {
  readonly outputShare: readonly number[];
  /** Temperature at the end of each slot, °C. */
  readonly tempC: readonly number[];
  /** Slack at each point 1..N (0 where there is no comfort point), K. */
  readonly slackK: readonly number[];
  /** Occupied slack beyond the schedule's allowance, K·slot: 0 when all of it was chosen to save energy. */
  readonly excessKSlots: number;
}

export type LpCheck =
  | { readonly ok: true; readonly trajectory: LpTrajectory }
  | { readonly ok: false; readonly why: string };

/**
 * Accepts a solution only when the solver says optimal and the numbers keep the program's own
 * rules: every output share inside its bounds, every temperature on the model's trajectory and
 * above its floor, every slack within its cap. Anything else is refused with the reason.
 */
export function checkLpAnswer(lp: HvacLp, answer: LpAnswer): LpCheck {
  if (answer.status !== 'Optimal') return { ok: false, why: `solver status ${answer.status}` };
  const value = (name: string): number | undefined => {
    const v = answer.columns[name];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const sign = relaxSign(lp.mode);
  const outputShare: number[] = [];
  const tempC: number[] = [];
  const slackK = new Array<number>(lp.slots + 1).fill(0);
  let prev = lp.startTempC;
  for (let k = 0; k < lp.slots; k++) {
    const u = value(uName(k));
    const t = value(tName(k + 1));
    if (u === undefined || t === undefined) return { ok: false, why: `no value for slot ${k}` };
    const uMax = lp.uMax[k] ?? 0;
    if (u < -1e-6 || u > uMax + 1e-6)
      return { ok: false, why: `output share ${u} outside [0, ${uMax}] in slot ${k}` };
    const expected = lp.decay * prev + (lp.driftC[k] ?? 0) + lp.perOutputC * u;
    if (Math.abs(t - expected) > RESIDUAL_TOLERANCE_K)
      return { ok: false, why: `slot ${k} temperature ${t} is off the model's ${expected}` };
    const floor = lp.floorC[k] ?? t;
    if (sign * (t - floor) < -RESIDUAL_TOLERANCE_K)
      return { ok: false, why: `slot ${k} temperature ${t} beyond the setpoint limit ${floor}` };
    outputShare.push(Math.min(uMax, Math.max(0, u)));
    tempC.push(t);
    prev = t;
  }
  for (const c of lp.comfort) {
    const s = value(sName(c.point)) ?? 0;
    if (s < -1e-6 || s > lp.tuning.maxSlackK + 1e-6)
      return { ok: false, why: `slack ${s} at point ${c.point}` };
    const t = tempC[c.point - 1] ?? Number.NaN;
    if (sign * (t - c.limitC) > s + RESIDUAL_TOLERANCE_K)
      return { ok: false, why: `point ${c.point} is ${t} past its limit ${c.limitC} with slack ${s}` };
    slackK[c.point] = s < SLACK_NOISE_K ? 0 : s;
  }
  const excessKSlots = Math.max(0, value('excess') ?? 0);
  return { ok: true, trajectory: { outputShare, tempC, slackK, excessKSlots } };
}

const inMinutes = (slots: number): string => `${slots * SLOT_MINUTES} min`;

/**
 * What the space would reach without pre-conditioning: the unit idle outside the comfort slots and
 * at full output inside them. The worst point of each comfort block and when it comes.
 */
function withoutPreconditioning(lp: HvacLp): number[] {
  const sign = relaxSign(lp.mode);
  const comfortSlot = new Set(lp.comfort.filter((c) => c.occupied).map((c) => c.point - 1));
  const out: number[] = [];
  let t = lp.startTempC;
  for (let k = 0; k < lp.slots; k++) {
    const u = comfortSlot.has(k) && (lp.rules[k]?.mode ?? 'off') !== 'off' ? (lp.uMax[k] ?? 0) : 0;
    const next = lp.decay * t + (lp.driftC[k] ?? 0) + lp.perOutputC * u;
    t = sign > 0 ? Math.max(next, lp.floorC[k] ?? next) : Math.min(next, lp.floorC[k] ?? next);
    out.push(t);
  }
  return out;
}

/** The first comfort block after slot k: its worst point without pre-conditioning, and how far ahead. */
function nextPeak(
  lp: HvacLp,
  without: readonly number[],
  k: number,
): { tempC: number; slotsAhead: number; limitC: number } | undefined {
  const sign = relaxSign(lp.mode);
  const points = lp.comfort.filter((c) => c.occupied && c.point > k);
  const first = points[0];
  if (!first) return undefined;
  let best = {
    tempC: without[first.point - 1] ?? Number.NaN,
    slotsAhead: first.point - k,
    limitC: first.limitC,
  };
  for (let i = 1; i < points.length; i++) {
    const c = points[i];
    const before = points[i - 1];
    if (!c || !before || c.point !== before.point + 1) break;
    const t = without[c.point - 1] ?? Number.NaN;
    if (sign * (t - best.tempC) > 0) best = { tempC: t, slotsAhead: c.point - k, limitC: c.limitC };
  }
  return best;
}

/**
 * A setpoint a thermostat can hold: the planned temperature on the device's grid, rounded toward
 * more conditioning (comfort first) or, for a unit meant to idle, toward less, within the limits.
 */
function setpointFor(
  lp: HvacLp,
  tempC: number,
  range: SetpointGrid,
  toward: 'more' | 'less' = 'more',
): number {
  const k = tempC / range.stepC;
  const down = (lp.mode === 'cool') === (toward === 'more');
  const steps = down ? Math.floor(k + 1e-9) : Math.ceil(k - 1e-9);
  const v = Math.round(steps * range.stepC * 1e6) / 1e6;
  return Math.min(range.hiC, Math.max(range.loC, v));
}

/** The setpoints a plan may use: the mode's range and the devices' resolution. */
export interface SetpointGrid {
  readonly loC: number;
  readonly hiC: number;
  readonly stepC: number;
}

/** The golden ratio's fractional part: its multiples mod 1 spread evenly over [0, 1) for any run of slots. */
const GOLDEN = 0.6180339887498949;

/** A slot's threshold in [0.005, 0.995): whole-slot output runs where the planned share exceeds it. */
function slotThreshold(slot: number): number {
  const frac = (((slot * GOLDEN) % 1) + 1) % 1;
  return 0.005 + 0.99 * frac;
}

/**
 * How far past the relaxed end of the setpoint range a planned temperature must lie before no
 * setpoint can hold it, K: closer than that, a thermostat at the range's end runs only briefly.
 */
const UNSETTABLE_K = 0.25;

/**
 * The solution as slot targets with a reason each. A running slot holds the planned end temperature
 * as its setpoint (a thermostat follows a setpoint, not kW); an idle slot is off, unless it is a
 * comfort slot the plan leaves outside the aim (its slack), which holds the planned temperature.
 *
 * Where the plan keeps the room past the relaxed end of the setpoint range (pre-heating a cold room
 * that is still below 20 °C, or spending the schedule's own discomfort), no setpoint holds the
 * planned temperature: a thermostat set to the range's end runs flat out. There the plan's output
 * share is given as whole slots at full output or off: a slot runs when its share exceeds the
 * slot's threshold, a low-discrepancy sequence over the absolute slot number (`firstSlot` is the
 * plan's first). Only the first slot of each plan is carried out before the next plan, so the
 * threshold belongs to the slot, not the plan: a share held at 30 % runs 30 % of the slots, and
 * the energy the thermostat spends is the energy planned.
 */
export function lpTargets(
  lp: HvacLp,
  trajectory: LpTrajectory,
  range: SetpointGrid,
  firstSlot = 0,
): Target[] {
  const sign = relaxSign(lp.mode);
  const without = withoutPreconditioning(lp);
  const occupiedLimit = lp.comfort.find((c) => c.occupied)?.limitC;
  const verb = lp.mode === 'cool' ? 'pre-cool' : 'pre-heat';
  const relaxedEndC = sign > 0 ? range.hiC : range.loC;
  return lp.rules.map((rule, k): Target => {
    const planned = trajectory.outputShare[k] ?? 0;
    const endC = trajectory.tempC[k] ?? lp.startTempC;
    const comfortSlot = rule.phase === 'occupied' || rule.phase === 'relaxed' || rule.phase === 'after-hours';
    const predicted = `${formatC(endC)} predicted`;
    const unsettable = sign * (endC - relaxedEndC) > UNSETTABLE_K;
    const u = unsettable ? (planned > slotThreshold(firstSlot + k) ? 1 : 0) : planned;
    if (u < IDLE_OUTPUT) {
      // Inside the aim, off: a unit that waits at a setpoint runs its fans, which the program
      // counted as the cost of running (the next plan, a slot later, starts it if the room strays).
      // Outside it (slack the plan chose), held at the planned temperature, or a thermostat left
      // at the aim would run flat out against it.
      const outside = occupiedLimit !== undefined && sign * (endC - occupiedLimit) > SLACK_NOISE_K;
      if (comfortSlot && occupiedLimit !== undefined && !unsettable && outside) {
        const sp = setpointFor(lp, endC, range, 'less');
        return {
          mode: lp.mode,
          setpointC: sp,
          phase: rule.phase,
          reason: `predictive: idle at ${formatC(sp)}, ${predicted}`,
        };
      }
      return {
        mode: 'off',
        phase: rule.phase === 'setback' || comfortSlot ? rule.phase : 'off',
        reason:
          unsettable && planned >= IDLE_OUTPUT
            ? `predictive: off, ${predicted} (${Math.round(planned * 100)}% output planned, given as whole slots)`
            : `predictive: off, ${predicted}`,
      };
    }
    const sp = setpointFor(lp, endC, range);
    const pct = Math.round(u * 100);
    const peak = nextPeak(lp, without, k);
    const needed = peak !== undefined && sign * (peak.tempC - peak.limitC) > 0;
    const deeper = occupiedLimit !== undefined && sign * (occupiedLimit - sp) > 0.15;
    if (!comfortSlot || deeper) {
      const why =
        needed && peak
          ? `${formatC(peak.tempC)} predicted in ${inMinutes(peak.slotsAhead)} at full capacity without it`
          : 'cheaper now than later in the tariff';
      return {
        mode: lp.mode,
        setpointC: sp,
        phase: comfortSlot ? rule.phase : 'precondition',
        reason: `${verb} to ${formatC(sp)} (${pct}% output): ${why}`,
      };
    }
    return {
      mode: lp.mode,
      setpointC: sp,
      phase: rule.phase,
      reason: `predictive: ${formatC(sp)} (${pct}% output), within the band by the margin`,
    };
  });
}

/** Comfort points the plan cannot hold (slack above noise), as slot ranges with their worst excess. */
export interface PredictedShortfall {
  readonly fromSlot: number;
  readonly toSlot: number;
  readonly worstK: number;
  /**
   * limit: the plan sits at the setpoint limit there; capacity: the plan spends more than the
   * schedule's allowance and still falls short, so the unit cannot do better; allowance: the plan
   * spends part of the schedule's own predicted discomfort to save energy.
   */
  readonly reason: 'capacity' | 'limit' | 'allowance';
}

export function predictedShortfalls(lp: HvacLp, trajectory: LpTrajectory): PredictedShortfall[] {
  const out: PredictedShortfall[] = [];
  let open: { from: number; to: number; worst: number; reason: PredictedShortfall['reason'] } | undefined;
  const close = () => {
    if (open) out.push({ fromSlot: open.from, toSlot: open.to, worstK: open.worst, reason: open.reason });
  };
  const sign = relaxSign(lp.mode);
  for (const c of lp.comfort) {
    const s = trajectory.slackK[c.point] ?? 0;
    if (!c.occupied || s <= 0) continue;
    const slot = c.point - 1;
    const atLimit = sign * ((trajectory.tempC[slot] ?? 0) - (lp.floorC[slot] ?? Number.NaN)) <= 0.05;
    // Slack within the allowance was chosen; beyond it, the plan could not do better.
    const chosen = trajectory.excessKSlots <= SLACK_NOISE_K;
    const reason = atLimit ? 'limit' : chosen ? 'allowance' : 'capacity';
    if (open && slot <= open.to + 1 && open.reason === reason) {
      open = { ...open, to: slot, worst: Math.max(open.worst, s) };
    } else {
      close();
      open = { from: slot, to: slot, worst: s, reason };
    }
  }
  close();
  return out;
}
