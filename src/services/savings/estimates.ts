/**
 * The latest randomized estimate of each series, kept in the key-value store so that the read model
 * (and a restarted service) can give each randomized figure its interval without re-estimating.
 */
import { z } from 'zod';
import type { RandomizedEstimate } from '../../domain/savings/randomized-estimate.js';
import type { KeyValueStore } from '../../ports/stores.js';

export const estimateKey = (seriesKey: string, designId: string): string =>
  `savings.estimate.${seriesKey}.${designId}`;

export interface StoredEstimate {
  /** The verification period or configured design the estimate belongs to. */
  readonly designId: string;
  /** The version written on the rows priced with this estimate. */
  readonly version: string;
  readonly savingsShare: number;
  readonly treatedDays: number;
  readonly controlDays: number;
  readonly intervals: readonly { confidence: number; lowShare: number; highShare: number }[];
}

const Schema = z.object({
  designId: z.string(),
  version: z.string(),
  savingsShare: z.number(),
  treatedDays: z.number().int(),
  controlDays: z.number().int(),
  intervals: z.array(z.object({ confidence: z.number(), lowShare: z.number(), highShare: z.number() })),
});

export function serializeEstimate(designId: string, version: string, e: RandomizedEstimate): string {
  const stored: StoredEstimate = {
    designId,
    version,
    savingsShare: e.savingsShare,
    treatedDays: e.treatedDays,
    controlDays: e.controlDays,
    intervals: e.intervals.map((i) => ({
      confidence: i.confidence,
      lowShare: i.lowShare,
      highShare: i.highShare,
    })),
  };
  return JSON.stringify(stored);
}

/** The design a row version (`<design id>:<n>d-to-<date>`) belongs to. */
export function designOfVersion(version: string): string {
  const i = version.lastIndexOf(':');
  return i > 0 ? version.slice(0, i) : version;
}

/** The stored estimate of a series under a design, or undefined when there is none or it is unreadable. */
export function readEstimate(
  settings: KeyValueStore,
  seriesKey: string,
  designId: string,
): StoredEstimate | undefined {
  const text = settings.get(estimateKey(seriesKey, designId));
  if (text === undefined) return undefined;
  try {
    const r = Schema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
