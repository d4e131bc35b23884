/**
 * Persisted model files: versioned JSON with the parameters, the training window and the fit
 * statistics. Storage (where the file lives) belongs to the ModelStore adapter; this module only
 * turns a model into text and back, validating everything it reads.
 *
 *   const text = serializeModel(file);
 *   const back = deserializeModel(text);   // { ok: true, file } | { ok: false, error }
 *
 * NaN statistics are written as null and read back as NaN.
 */
import { z } from 'zod';
import type { FitStats } from './metrics.js';
import type { ModelParams } from './models.js';

export const MODEL_FILE_FORMAT = 'quietwatt.forecast-model';
export const MODEL_FILE_VERSION = 1;

export interface ModelFile {
  readonly format: typeof MODEL_FILE_FORMAT;
  readonly version: typeof MODEL_FILE_VERSION;
  /** Model name as chosen, e.g. 'towt-corrected'. */
  readonly name: string;
  readonly spaceId: string;
  readonly endUse: string;
  readonly timeZone: string;
  readonly calendarId: string;
  /** Training window [fromMs, toMs), UTC. */
  readonly trainingWindow: { readonly fromMs: number; readonly toMs: number };
  readonly fittedAtMs: number;
  readonly params: ModelParams;
  readonly stats: { readonly inSample?: FitStats; readonly outOfSample?: FitStats };
}

const num = z.union([z.number(), z.null()]).transform((v) => (v === null ? Number.NaN : v));
const stats = z.object({
  n: z.number().int().nonnegative(),
  p: z.number().int().nonnegative(),
  meanKWh: num,
  rmseKWh: num,
  cvRmse: num,
  nmbe: num,
  r2: num,
  meetsG14: z.boolean(),
  notAssessable: z.string().optional(),
});
const hours168 = z.array(z.number()).length(168);
const towt = z.object({
  kind: z.literal('towt'),
  changePointsC: z.array(z.number()),
  usesTemperature: z.boolean(),
  segmentation: z.enum(['none', 'month-weighted']),
  segments: z
    .array(
      z.object({
        intercept: hours168,
        occupied: z.array(z.union([z.literal(0), z.literal(1)])).length(168),
        slopeOccupied: z.array(z.number()),
        slopeUnoccupied: z.array(z.number()),
      }),
    )
    .refine((s) => s.length === 1 || s.length === 12, 'segments must number 1 or 12'),
  p: z.number().int().nonnegative(),
  nTrain: z.number().int().nonnegative(),
  calendarId: z.string(),
});
const params = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('seasonal-naive'), lagHours: z.number().int().positive() }),
  z.object({ kind: z.literal('prior'), spaceType: z.string(), scaleKWh: num, shape: hours168 }),
  towt,
  z.object({
    kind: z.literal('towt-corrected'),
    towt,
    correction: z.object({
      lookbackHours: z.number().int().positive(),
      bLevel: z.number(),
      bHour: z.number(),
      bLast: z.number(),
    }),
  }),
]);
const modelFile = z.object({
  format: z.literal(MODEL_FILE_FORMAT),
  version: z.literal(MODEL_FILE_VERSION),
  name: z.string().min(1),
  spaceId: z.string(),
  endUse: z.string(),
  timeZone: z.string().min(1),
  calendarId: z.string(),
  trainingWindow: z.object({ fromMs: z.number(), toMs: z.number() }),
  fittedAtMs: z.number(),
  params,
  stats: z.object({ inSample: stats.optional(), outOfSample: stats.optional() }),
});

export function serializeModel(file: ModelFile): string {
  return JSON.stringify(file, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

export type DeserializeResult = { ok: true; file: ModelFile } | { ok: false; error: string };

export function deserializeModel(text: string): DeserializeResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `model file is not JSON: ${(e as Error).message}` };
  }
  const v = (raw as { version?: unknown } | null)?.version;
  if (typeof v === 'number' && v !== MODEL_FILE_VERSION) {
    return {
      ok: false,
      error: `model file version ${v} is not supported (expected ${MODEL_FILE_VERSION}); refit the model`,
    };
  }
  const parsed = modelFile.safeParse(raw);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
  return { ok: true, file: parsed.data as ModelFile };
}
