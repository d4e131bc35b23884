import type { OutputTarget } from './encoded.js';

/**
 * Values a device can actually take. The safety layer picks only such values, so that an encoded
 * message decodes back to exactly the value that was checked against the bounds.
 */
export interface LevelScale {
  /** level(k) = k * 100 / unitsMax for k = 0..unitsMax. */
  readonly unitsMax: number;
  /** Round a requested level up (relays: any light at all means on). */
  readonly roundUp: boolean;
}

export function levelScaleOf(t: OutputTarget): LevelScale {
  switch (t.output) {
    case 'zigbee2mqtt':
      return { unitsMax: 254, roundUp: false };
    case 'tasmota':
      return t.options.tasmotaChannel === 'relay'
        ? { unitsMax: 1, roundUp: true }
        : { unitsMax: 100, roundUp: false };
    case 'home-assistant':
      return { unitsMax: t.options.haBrightnessScale, roundUp: false };
    case 'native':
      return { unitsMax: Math.max(1, Math.round(100 / t.options.levelStepPct)), roundUp: false };
  }
}

export function levelOfUnits(units: number, unitsMax: number): number {
  return (units * 100) / unitsMax;
}

export function unitsOfLevel(levelPct: number, unitsMax: number): number {
  return Math.min(unitsMax, Math.max(0, Math.round((levelPct * unitsMax) / 100)));
}

/** Setpoint resolution, °C. */
export function setpointStepOf(t: OutputTarget): number {
  return t.options.setpointStepC;
}

export function setpointOfSteps(k: number, stepC: number): number {
  // Rounded to 1e-6 so the value survives JSON and decodes to the same number.
  return Math.round(k * stepC * 1e6) / 1e6;
}

/**
 * The representable value nearest index `kStart` inside [lo, hi]. When no representable value lies inside,
 * the result is on the `favour` side: 'high' gives the smallest value >= lo, 'low' the largest <= hi.
 */
export function quantizeInRange(
  lo: number,
  hi: number,
  valueAt: (k: number) => number,
  kMin: number,
  kMax: number,
  kStart: number,
  favour: 'high' | 'low',
): number {
  let k = Math.min(kMax, Math.max(kMin, kStart));
  if (favour === 'high') {
    while (k > kMin && valueAt(k) > hi) k--;
    while (k < kMax && valueAt(k) < lo) k++;
  } else {
    while (k < kMax && valueAt(k) < lo) k++;
    while (k > kMin && valueAt(k) > hi) k--;
  }
  return valueAt(k);
}

/** A lighting level the device can take, inside [lo, hi] when possible, never below lo. */
export function quantizeLevel(levelPct: number, lo: number, hi: number, scale: LevelScale): number {
  const raw = (levelPct * scale.unitsMax) / 100;
  const kStart = scale.roundUp ? Math.ceil(raw - 1e-9) : Math.round(raw);
  return quantizeInRange(lo, hi, (k) => levelOfUnits(k, scale.unitsMax), 0, scale.unitsMax, kStart, 'high');
}

/** A setpoint the device can take, inside [lo, hi] when possible, else on the `favour` side. */
export function quantizeSetpoint(
  setpointC: number,
  lo: number,
  hi: number,
  stepC: number,
  favour: 'high' | 'low',
): number {
  const kMin = Math.ceil(5 / stepC - 1e-9);
  const kMax = Math.floor(35 / stepC + 1e-9);
  return quantizeInRange(
    lo,
    hi,
    (k) => setpointOfSteps(k, stepC),
    kMin,
    kMax,
    Math.round(setpointC / stepC),
    favour,
  );
}
