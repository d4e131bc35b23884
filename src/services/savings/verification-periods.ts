/**
 * Verification periods started by QuietWatt itself: when a site's first space goes active, a
 * randomized on/off design begins the next local day, so savings are measured without a baseline
 * year; when the planner's settings change, the running design ends and a new one begins, because
 * the treatment being measured is no longer the same. Each period is persisted (the assignments
 * define the experiment) under the site, with the settings hash that started it.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { VerificationConfig } from '../../config/schema/analytics.js';
import {
  assignDays,
  parseDesign,
  type RandomizedDesign,
  serializeDesign,
} from '../../domain/savings/randomized-design.js';
import type { KeyValueStore } from '../../ports/stores.js';

export const verificationKey = (siteId: string): string => `savings.verification.${siteId}`;

/** One automatic verification period of a site. */
export interface VerificationPeriod {
  /** e.g. `maple-court:v2:2026-07-14`; written on every randomized ledger row of the period. */
  readonly id: string;
  readonly siteId: string;
  /** First local day, YYYY-MM-DD. */
  readonly startDate: string;
  /** First local day of the next period, when one has started since (exclusive end). */
  readonly endDate?: string;
  /** Hash of the control settings that shape plans while this period runs. */
  readonly planHash: string;
  readonly createdAtMs: number;
  readonly minDaysPerArm: number;
  readonly design: RandomizedDesign;
}

const StoredPeriod = z.object({
  id: z.string().min(1),
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  endDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  planHash: z.string().min(1),
  createdAtMs: z.number(),
  minDaysPerArm: z.number().int().min(2),
  design: z.string(),
});
const StoredPeriods = z.array(StoredPeriod);

/** Reads a site's periods, oldest first; throws naming the bad field when the stored text is damaged. */
export function loadPeriods(settings: KeyValueStore, siteId: string): VerificationPeriod[] {
  const text = settings.get(verificationKey(siteId));
  if (text === undefined) return [];
  const parsed = StoredPeriods.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`verification periods of site ${siteId}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data.map((p) => ({
    id: p.id,
    siteId,
    startDate: p.startDate,
    ...(p.endDate !== undefined ? { endDate: p.endDate } : {}),
    planHash: p.planHash,
    createdAtMs: p.createdAtMs,
    minDaysPerArm: p.minDaysPerArm,
    design: parseDesign(p.design),
  }));
}

function savePeriods(settings: KeyValueStore, siteId: string, periods: readonly VerificationPeriod[]): void {
  settings.set(
    verificationKey(siteId),
    JSON.stringify(
      periods.map((p) => ({
        id: p.id,
        startDate: p.startDate,
        ...(p.endDate !== undefined ? { endDate: p.endDate } : {}),
        planHash: p.planHash,
        createdAtMs: p.createdAtMs,
        minDaysPerArm: p.minDaysPerArm,
        design: serializeDesign(p.design),
      })),
    ),
  );
}

export type EnsureOutcome =
  | { readonly started: false }
  | { readonly started: true; readonly period: VerificationPeriod; readonly reason: 'first' | 'planner' };

/**
 * Starts a period on `startDate` when the site has none yet, or when the plan settings changed
 * since the latest one started (which then ends on `startDate`). Idempotent for the same hash.
 */
export function ensurePeriod(
  settings: KeyValueStore,
  config: VerificationConfig,
  siteId: string,
  startDate: string,
  planHash: string,
  nowMs: number,
): EnsureOutcome {
  const periods = loadPeriods(settings, siteId);
  const latest = periods[periods.length - 1];
  if (latest && latest.planHash === planHash) return { started: false };
  // A change on the day a pending period would start replaces that period rather than ending it empty.
  const kept = latest && latest.startDate >= startDate ? periods.slice(0, -1) : periods;
  const previous = kept[kept.length - 1];
  const n = kept.length + 1;
  const design = assignDays({
    seed: config.seed + n - 1,
    startDate,
    weeks: config.weeks,
    treatedShare: 1 - config.controlShare,
    blockWeeks: config.blockWeeks,
    washoutHours: config.washoutHours,
    // Before the first period the site ran optimized control (it just went active).
    armBefore: 'treatment',
  });
  const period: VerificationPeriod = {
    id: `${siteId}:v${n}:${startDate}`,
    siteId,
    startDate,
    planHash,
    createdAtMs: nowMs,
    minDaysPerArm: config.minDaysPerArm,
    design,
  };
  const ended = kept.map((p) =>
    p === previous && p.endDate === undefined ? { ...p, endDate: startDate } : p,
  );
  savePeriods(settings, siteId, [...ended, period]);
  return { started: true, period, reason: latest ? 'planner' : 'first' };
}

/** The period a local date falls in (between its start and its end or its design's last day). */
export function periodOn(
  periods: readonly VerificationPeriod[],
  date: string,
): VerificationPeriod | undefined {
  for (let i = periods.length - 1; i >= 0; i--) {
    const p = periods[i] as VerificationPeriod;
    if (date < p.startDate) continue;
    if (p.endDate !== undefined && date >= p.endDate) return undefined;
    return p;
  }
  return undefined;
}

/** The local date after `date`. */
export function nextDate(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate() as string;
}
