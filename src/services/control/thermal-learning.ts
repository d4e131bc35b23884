import { PRIOR_THERMAL_RATES } from '../../domain/planning/defaults.js';
import { type LearnedRates, learnThermalRates, type ThermalSample } from '../../domain/planning/learn.js';
import type { ThermalRates } from '../../domain/planning/types.js';
import type { SetpointValue } from '../../domain/setpoints/contract.js';
import type { KeyValueStore } from '../../ports/stores.js';

const SAMPLE_EVERY_MS = 5 * 60_000;
/** A sample is taken from a reading at most this old (older ones would show a false standstill). */
const MAX_READING_AGE_MS = 10 * 60_000;
/** Samples kept for learning. */
const KEEP_MS = 14 * 86_400_000;
/**
 * Without an HVAC meter the output share is known only when the unit must be running flat out:
 * conditioning and at least this far from its setpoint. Near the setpoint the thermostat modulates
 * and the share is unknown, so no sample is taken there.
 */
const FULL_OUTPUT_MARGIN_K = 0.5;

/** Intervals of a mode before its rate is fitted (as in `learnThermalRates`). */
const MIN_MODE_SAMPLES = 12;

export const thermalRatesKey = (spaceKey: string): string => `control.thermal.${spaceKey}`;

/**
 * One learning sample, or undefined when what the HVAC did cannot be told: `hvac` is the value in
 * force (a setpoint of ours under lease, else the device's own schedule), undefined under a manual
 * override. Off counts as no output; a conditioning mode as full output only while the space is
 * clearly away from its setpoint.
 */
export function thermalSampleOf(
  tsMs: number,
  indoorC: number,
  outdoorC: number,
  hvac: SetpointValue | undefined,
  /** The solar proxy at the sample and whether the space was occupied (absent: unknown). */
  gains: { readonly solarProxy?: number; readonly occupancy?: number } = {},
): ThermalSample | undefined {
  if (hvac?.kind !== 'hvac' || !Number.isFinite(indoorC) || !Number.isFinite(outdoorC)) return undefined;
  const base = { tsMs, indoorC, outdoorC, ...gains };
  if (hvac.mode === 'off') return { ...base, hvacDuty: 0, mode: 'off' };
  if (hvac.mode === 'cool' && indoorC > hvac.setpointC + FULL_OUTPUT_MARGIN_K)
    return { ...base, hvacDuty: 1, mode: 'cool' };
  if (hvac.mode === 'heat' && indoorC < hvac.setpointC - FULL_OUTPUT_MARGIN_K)
    return { ...base, hvacDuty: 1, mode: 'heat' };
  return undefined;
}

interface Stored {
  readonly rates: ThermalRates;
  readonly learnedAtMs: number;
  readonly samples: number;
  readonly fitted: LearnedRates['fitted'];
}

function isRates(x: unknown): x is ThermalRates {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  const finite = (k: string) => typeof r[k] === 'number' && Number.isFinite(r[k]);
  return (
    ['aPerH', 'gainKPerH', 'coolKPerH', 'heatKPerH'].every(finite) &&
    ['solarKPerH', 'occupancyKPerH'].every((k) => r[k] === undefined || finite(k))
  );
}

/**
 * Thermal rates per space learned from the space's own history: 5-minute samples of indoor and
 * outdoor temperature and what its HVAC did, fitted once a day. The last rates are kept in the
 * settings store (a restart plans with them at once); a rate the data cannot support stays at the
 * last learned value, else the prior.
 */
export class ThermalLearner {
  private readonly samples = new Map<string, ThermalSample[]>();
  private readonly rates = new Map<string, ThermalRates>();

  constructor(private readonly settings: KeyValueStore) {}

  /** Learned rates of a space (loaded from the settings store on first use); undefined: the prior. */
  ratesOf(spaceKey: string): ThermalRates | undefined {
    const known = this.rates.get(spaceKey);
    if (known) return known;
    const raw = this.settings.get(thermalRatesKey(spaceKey));
    if (raw === undefined) return undefined;
    try {
      const parsed = JSON.parse(raw) as { rates?: unknown };
      if (!isRates(parsed.rates)) return undefined;
      this.rates.set(spaceKey, parsed.rates);
      return parsed.rates;
    } catch {
      return undefined;
    }
  }

  /** Records a sample of the space if its reading is new enough and 5 minutes have passed. */
  observe(spaceKey: string, sample: ThermalSample | undefined, nowMs: number): void {
    if (!sample || nowMs - sample.tsMs > MAX_READING_AGE_MS) return;
    const list = this.samples.get(spaceKey) ?? [];
    const last = list.at(-1);
    if (last && sample.tsMs - last.tsMs < SAMPLE_EVERY_MS) return;
    list.push(sample);
    let drop = 0;
    while (drop < list.length && (list[drop]?.tsMs ?? nowMs) < nowMs - KEEP_MS) drop++;
    this.samples.set(spaceKey, drop > 0 ? list.slice(drop) : list);
  }

  sampleCount(spaceKey: string): number {
    return this.samples.get(spaceKey)?.length ?? 0;
  }

  /** Fits the space's rates on its samples and keeps them; undefined when there were none. */
  learn(spaceKey: string, nowMs: number): LearnedRates | undefined {
    const all = this.samples.get(spaceKey) ?? [];
    // A mode with too few samples to fit its rate would enter the fit at the prior's rate and bend
    // the coupling and gains toward it: leave its samples out until there are enough.
    const count = (mode: ThermalSample['mode']) => all.filter((x) => x.mode === mode).length;
    const few = new Set<ThermalSample['mode']>(
      (['cool', 'heat'] as const).filter((m) => count(m) < MIN_MODE_SAMPLES),
    );
    const samples = few.size === 0 ? all : all.filter((x) => !few.has(x.mode));
    if (samples.length < 2) return undefined;
    // A skipped sample leaves a gap that must not be bridged: samples are 5 minutes apart.
    const learned = learnThermalRates(samples, {
      prior: this.ratesOf(spaceKey) ?? PRIOR_THERMAL_RATES,
      maxGapMinutes: 7,
      minSamples: MIN_MODE_SAMPLES,
    });
    const { fitted } = learned;
    if (!fitted.a && !fitted.gain && !fitted.cool && !fitted.heat && !fitted.solar && !fitted.occupancy)
      return learned;
    this.rates.set(spaceKey, learned.rates);
    const stored: Stored = {
      rates: learned.rates,
      learnedAtMs: nowMs,
      samples: learned.samples,
      fitted,
    };
    this.settings.set(thermalRatesKey(spaceKey), JSON.stringify(stored));
    return learned;
  }
}
