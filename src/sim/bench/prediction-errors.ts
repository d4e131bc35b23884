import type { SensorSample } from '../../domain/sensors/types.js';

/** A reading this close to the end of a predicted slot stands for it, ms. */
const MATCH_WITHIN_MS = 5 * 60_000;

interface Prediction {
  readonly startMs: number;
  readonly slotMs: number;
  readonly tempC: readonly number[];
}

export interface PredictionErrorStats {
  readonly space: string;
  /** Plans scored and the (plan, slot) pairs with a reading. */
  readonly plans: number;
  readonly pairs: number;
  readonly maeK: number;
  readonly rmseK: number;
  /** Mean of predicted minus measured, K: positive = predicted too warm. */
  readonly biasK: number;
  /** Mean absolute error at the end of the 24 hours alone, K. */
  readonly mae24hK: number;
}

/**
 * The thermal model's 24-hour predictions, as the plans made them (the temperature at the end of each
 * slot under the plan), against the indoor readings that came in afterwards. A plan is replaced every
 * 15 minutes, so this is the error of a prediction nobody followed to its end: an upper bound on the
 * model's own error, and the figure the planner's start times depend on.
 */
export class PredictionErrors {
  private readonly plans = new Map<string, Prediction[]>();

  record(space: string, startMs: number, slotMs: number, tempC: readonly number[]): void {
    const list = this.plans.get(space) ?? [];
    list.push({ startMs, slotMs, tempC: [...tempC] });
    this.plans.set(space, list);
  }

  score(
    readings: (space: string, fromMs: number, toMs: number) => readonly SensorSample[],
  ): PredictionErrorStats[] {
    const out: PredictionErrorStats[] = [];
    for (const [space, plans] of this.plans) {
      let n = 0;
      let abs = 0;
      let sq = 0;
      let bias = 0;
      let lastAbs = 0;
      let lastN = 0;
      let scored = 0;
      for (const p of plans) {
        const endMs = p.startMs + p.tempC.length * p.slotMs;
        const samples = readings(space, p.startMs, endMs + MATCH_WITHIN_MS);
        // Only plans whose whole horizon has been measured.
        const last = samples.at(-1);
        if (!last || last.tsMs < endMs - MATCH_WITHIN_MS) continue;
        scored++;
        let j = 0;
        p.tempC.forEach((predicted, i) => {
          const atMs = p.startMs + (i + 1) * p.slotMs;
          while (
            j + 1 < samples.length &&
            Math.abs((samples[j + 1]?.tsMs ?? 0) - atMs) <= Math.abs((samples[j]?.tsMs ?? 0) - atMs)
          )
            j++;
          const s = samples[j];
          if (!s || Math.abs(s.tsMs - atMs) > MATCH_WITHIN_MS) return;
          const e = predicted - s.value;
          n++;
          abs += Math.abs(e);
          sq += e * e;
          bias += e;
          if (i === p.tempC.length - 1) {
            lastAbs += Math.abs(e);
            lastN++;
          }
        });
      }
      if (n === 0) continue;
      out.push({
        space,
        plans: scored,
        pairs: n,
        maeK: abs / n,
        rmseK: Math.sqrt(sq / n),
        biasK: bias / n,
        mae24hK: lastN > 0 ? lastAbs / lastN : Number.NaN,
      });
    }
    return out.sort((a, b) => a.space.localeCompare(b.space));
  }
}
