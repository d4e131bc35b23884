import type { LpBound, LpModel, LpRow, LpTerm } from '../../domain/planning/predictive/lp-text.js';
import type { DesignMode } from './capacity-recorder.js';

/**
 * The least HVAC energy any controller could have spent on a space over a run while keeping its
 * occupied discomfort within a given K·h, knowing the weather, the people and the room exactly: a
 * linear program over the simulator's own one-node thermal model, in blocks of a few minutes. It is
 * a bound, not a plan: what it leaves out would only make a real unit spend more (see
 * `hvacBoundModel`).
 */
export interface BoundBlock {
  /** Boundary temperature the room loses heat to (outdoor air, blended with ground or interior), °C. */
  readonly boundaryC: number;
  /** Heat gains other than the units' (people, plug loads, lighting, sun), W. */
  readonly gainsW: number;
  /** Occupied time in the block, h: what its discomfort is weighted by. */
  readonly occupiedH: number;
  /** Most heat the units can move in the block (compressor input × COP), W. */
  readonly capacityW: number;
  /** Coefficient of performance in the block (heating or cooling). */
  readonly cop: number;
}

export interface HvacBoundInput {
  readonly mode: DesignMode;
  readonly blocks: readonly BoundBlock[];
  readonly blockS: number;
  /** Indoor temperature at the start of the first block, °C. */
  readonly startC: number;
  readonly uaWPerK: number;
  readonly capacityJPerK: number;
  /** The units' fan input, W (drawn in proportion to the heat moved: a lower bound). */
  readonly fanW: number;
  readonly comfortLowC: number;
  readonly comfortHighC: number;
  /** Warmest heating (coldest cooling) setpoint the site allows, °C. */
  readonly limitC: number;
  /** Occupied discomfort allowed over the run, K·h. */
  readonly discomfortKh: number;
}

/**
 * The program: heat `q_k` (kW) in [0, capacity] per block, temperatures `T_k` following the room's exact
 * exponential step, occupied discomfort below (above) the band at each block's mid temperature, its
 * weighted sum at most the allowance; minimise electrical input, the compressor's `q/COP` plus the
 * fans' share of `q/capacity`. Any thermostat's heat is one such `q`, so the program can only do
 * better than a real unit: fans are charged only for the heat moved (a real unit's run whenever it
 * is on); the setpoint limit only caps the room at the warmest (coldest) temperature a unit held at
 * the limit could reach, never tighter; and only the side of the band the units work on counts
 * against the allowance (a heated room's warm hours are free). Two things are taken as given rather
 * than bounded: the inputs are block means (one-minute blocks move the cold snap's week by 0.1 kWh),
 * and the heat from lighting is the recorder's (see `BoundRecorder`). Energy, kWh, is the
 * objective's value.
 */
export function hvacBoundModel(i: HvacBoundInput): LpModel {
  const heat = i.mode === 'heat';
  const sign = heat ? 1 : -1;
  const a = Math.exp((-i.blockS * i.uaWPerK) / i.capacityJPerK);
  const blockH = i.blockS / 3600;
  const objective: LpTerm[] = [];
  const rows: LpRow[] = [];
  const bounds: LpBound[] = [{ name: 'T0', lo: i.startC, hi: i.startC }];
  const discomfort: LpTerm[] = [];
  // The warmest (heating) or coldest (cooling) room a unit held at the limit could reach: the cap.
  let envelopeC = i.startC;
  i.blocks.forEach((b, k) => {
    const q = `q${k}`;
    const t0 = `T${k}`;
    const t1 = `T${k + 1}`;
    const freeC = b.boundaryC + b.gainsW / i.uaWPerK;
    const drifted = freeC + (envelopeC - freeC) * a;
    envelopeC = heat ? Math.max(i.limitC, drifted) : Math.min(i.limitC, drifted);
    // Heat in kW: the program's coefficients then sit near 1, which the solver needs on a long week.
    bounds.push({ name: q, lo: 0, hi: b.capacityW / 1000 });
    bounds.push({
      name: t1,
      lo: heat ? Number.NEGATIVE_INFINITY : envelopeC,
      hi: heat ? envelopeC : Number.POSITIVE_INFINITY,
    });
    if (b.capacityW > 0) objective.push({ name: q, coef: blockH * (1 / b.cop + i.fanW / b.capacityW) });
    rows.push({
      name: `room${k}`,
      terms: [
        { name: t1, coef: 1 },
        { name: t0, coef: -a },
        { name: q, coef: (-sign * (1 - a) * 1000) / i.uaWPerK },
      ],
      op: '=',
      rhs: (1 - a) * freeC,
    });
    if (b.occupiedH <= 0) return;
    const d = `d${k}`;
    bounds.push({ name: d, lo: 0, hi: Number.POSITIVE_INFINITY });
    rows.push(
      heat
        ? {
            name: `cold${k}`,
            terms: [
              { name: d, coef: 1 },
              { name: t0, coef: 0.5 },
              { name: t1, coef: 0.5 },
            ],
            op: '>=',
            rhs: i.comfortLowC,
          }
        : {
            name: `warm${k}`,
            terms: [
              { name: d, coef: 1 },
              { name: t0, coef: -0.5 },
              { name: t1, coef: -0.5 },
            ],
            op: '>=',
            rhs: -i.comfortHighC,
          },
    );
    discomfort.push({ name: d, coef: b.occupiedH });
  });
  if (discomfort.length > 0)
    rows.push({ name: 'discomfort', terms: discomfort, op: '<=', rhs: i.discomfortKh });
  return { objective, rows, bounds };
}

/** The program's energy, kWh, from its solution's columns. */
export function boundEnergyKWh(i: HvacBoundInput, columns: Readonly<Record<string, number>>): number {
  const blockH = i.blockS / 3600;
  return i.blocks.reduce((sum, b, k) => {
    const qKW = columns[`q${k}`] ?? 0;
    return b.capacityW > 0 ? sum + qKW * blockH * (1 / b.cop + i.fanW / b.capacityW) : sum;
  }, 0);
}

/** Occupied discomfort of a recorded temperature path on the same blocks, K·h (`temps` has one more entry). */
export function blockDiscomfortKh(
  blocks: readonly BoundBlock[],
  temps: readonly number[],
  lowC: number,
  highC: number,
): number {
  return blocks.reduce((sum, b, k) => {
    const t = ((temps[k] ?? 0) + (temps[k + 1] ?? 0)) / 2;
    return sum + b.occupiedH * (t < lowC ? lowC - t : t > highC ? t - highC : 0);
  }, 0);
}
