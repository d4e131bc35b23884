import type { IntervalRow, LedgerRow, StoredReading } from '../../ports/stores.js';
import { ERR_BAD_ROW, SqliteStoreError } from './errors.js';

/**
 * Row checks shared by every store implementation (the in-memory fakes use them too), so a bad row
 * is refused the same way everywhere instead of being half-written. Validation of outside input
 * happens earlier, at the MQTT and config boundaries; these catch programming errors.
 */
function bad(what: string, field: string, value: unknown, expected: string): never {
  throw new SqliteStoreError(ERR_BAD_ROW, `${what}: ${field} = ${String(value)}, expected ${expected}`);
}

function finite(what: string, field: string, value: number): void {
  if (!Number.isFinite(value)) bad(what, field, value, 'a finite number');
}

export function checkReading(r: StoredReading): void {
  const what = `reading of meter '${r.meterId}'`;
  if (r.meterId === '') bad(what, 'meterId', "''", 'a non-empty id');
  finite(what, 'tsMs', r.tsMs);
  finite(what, 'receivedAtMs', r.receivedAtMs);
  if (r.energyKWh !== undefined) finite(what, 'energyKWh', r.energyKWh);
  if (r.powerW !== undefined) finite(what, 'powerW', r.powerW);
}

export function checkInterval(r: IntervalRow): void {
  const what = `interval of meter '${r.meterId}' at ${r.startMs}`;
  finite(what, 'startMs', r.startMs);
  if (r.minutes !== 15 && r.minutes !== 60) bad(what, 'minutes', r.minutes, '15 or 60');
  if (!(r.coverage >= 0 && r.coverage <= 1)) bad(what, 'coverage', r.coverage, 'a share in 0..1');
  if (r.missing) {
    if (r.energyKWh !== null) bad(what, 'energyKWh', r.energyKWh, 'null on a missing interval');
    if (r.coverage !== 0) bad(what, 'coverage', r.coverage, '0 on a missing interval');
  } else {
    if (r.energyKWh === null) bad(what, 'energyKWh', null, 'a number (or missing: true)');
    finite(what, 'energyKWh', r.energyKWh);
  }
}

export function checkLedgerRow(r: LedgerRow): void {
  const what = `ledger row of space '${r.spaceId}' at ${r.hourStartMs}`;
  finite(what, 'hourStartMs', r.hourStartMs);
  if (r.kind !== 'measured' && r.kind !== 'estimated') bad(what, 'kind', r.kind, "'measured' or 'estimated'");
  for (const f of ['baselineKWh', 'measuredKWh', 'avoidedKWh', 'cost', 'co2Kg'] as const) {
    finite(what, f, r[f]);
  }
  if (!/^[A-Z]{3}$/.test(r.currency)) bad(what, 'currency', r.currency, 'an ISO 4217 code such as CNY');
}

export function checkCount(meterId: string, reason: string, by: number): void {
  if (!Number.isInteger(by) || by < 0) {
    bad(`counter ${meterId}/${reason}`, 'by', by, 'a non-negative integer');
  }
}

/**
 * How an existing interval and an incoming one for the same key combine. Energy and coverage add
 * (two reading pairs can each cover part of one interval); coverage is capped at 1 against rounding.
 * A missing marker never erases energy already there, and a missing interval stops being missing as
 * soon as any energy arrives. Site, space and end use keep their first values.
 */
export function mergeInterval(existing: IntervalRow, incoming: IntervalRow): IntervalRow {
  const energyKWh =
    existing.energyKWh === null && incoming.energyKWh === null
      ? null
      : (existing.energyKWh ?? 0) + (incoming.energyKWh ?? 0);
  return {
    ...existing,
    energyKWh,
    coverage: Math.min(1, existing.coverage + incoming.coverage),
    missing: existing.missing && incoming.missing,
  };
}
