import type { ExtractResult } from '../reading.js';
import { reject } from '../reasons.js';
import { describeValue, isNonFinite } from '../zod-issues.js';

/** A bare number: the cumulative register in kWh or the power in W, per the meter's `value`. */
export function extractBareNumber(text: string, value: 'cumulative' | 'power'): ExtractResult {
  const trimmed = text.trim();
  if (isNonFinite(trimmed))
    return reject('non-finite', `payload: ${describeValue(trimmed)} is not a finite number`);
  // Number('') is 0 and Number('0x10') is 16: accept decimal notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    return reject('wrong-type', `payload: expected a bare number (got ${describeValue(trimmed)})`);
  }
  const n = Number(trimmed);
  if (!Number.isFinite(n))
    return reject('non-finite', `payload: ${describeValue(trimmed)} is not a finite number`);
  return { ok: true, raw: value === 'cumulative' ? { energyKWh: n } : { powerW: n } };
}
