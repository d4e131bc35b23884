/**
 * The persisted M&V baseline of one space and end use: the TOWT parameters fitted on the baseline
 * period (no residual correction), its window and whether it may be used. Stored as versioned JSON
 * in the model registry (kind `baseline`); its `baselineVersion` goes on every ledger row.
 */
import { z } from 'zod';
import type { TowtParams } from '../../domain/forecast/towt.js';

export interface BaselineRecord {
  readonly format: 'quietwatt.baseline';
  readonly version: 1;
  readonly spaceId: string;
  readonly endUse: string;
  readonly baselineVersion: string;
  readonly timeZone: string;
  readonly calendarId: string;
  readonly trainStartMs: number;
  readonly trainEndMs: number;
  /** Why no savings may be computed from it; empty when usable. */
  readonly unusable: readonly string[];
  readonly heldOutRmsError: number;
  readonly cvRmseInSample: number;
  /** Hours the model was fitted on and the lag-1 autocorrelation of its residuals (Guideline 14). */
  readonly nBaseline?: number;
  readonly rho?: number;
  /** Meters the baseline was fitted on; records written before it was kept lack it. */
  readonly meterIds?: readonly string[];
  readonly params: TowtParams;
}

const num = z.union([z.number(), z.null()]).transform((v) => (v === null ? Number.NaN : v));
const schema = z.object({
  format: z.literal('quietwatt.baseline'),
  version: z.literal(1),
  spaceId: z.string(),
  endUse: z.string(),
  baselineVersion: z.string().min(1),
  timeZone: z.string().min(1),
  calendarId: z.string(),
  trainStartMs: z.number(),
  trainEndMs: z.number(),
  unusable: z.array(z.string()),
  heldOutRmsError: num,
  cvRmseInSample: num,
  nBaseline: z.number().int().optional(),
  rho: num.optional(),
  meterIds: z.array(z.string()).optional(),
  params: z.looseObject({ kind: z.literal('towt') }),
});

export function serializeBaseline(record: BaselineRecord): string {
  return JSON.stringify(record, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? null : v,
  );
}

export function parseBaseline(text: string): BaselineRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`baseline record is not JSON: ${(e as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`invalid baseline record: ${z.prettifyError(r.error)}`);
  return r.data as unknown as BaselineRecord;
}
