import type Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import type { LedgerRow } from '../../ports/stores.js';

/** The zone a site lives by, from the config in force; undefined for a site it does not know. */
export type SiteZoneOf = (siteId: string) => string | undefined;

/**
 * The savings ledger's daily sums per site-local day (table savings_ledger_daily). Each site's days
 * are cut in the zone recorded for it; when the config gives a site another zone (or the table is
 * new), that site's sums are rebuilt from its hourly rows once.
 */
export class LedgerDailySums {
  private readonly zones = new Map<string, string>();
  private readonly dropDay: Database.Statement;
  private readonly sumDay: Database.Statement;
  private readonly recordZone: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly zoneOf: SiteZoneOf,
  ) {
    this.dropDay = db.prepare(
      `DELETE FROM savings_ledger_daily WHERE site_id = @siteId AND kind = @kind AND method = @method
         AND day_start_ms = @dayStartMs AND space_id = @spaceId AND end_use = @endUse`,
    );
    this.sumDay = db.prepare(
      `INSERT INTO savings_ledger_daily
         SELECT site_id, kind, method, @dayStartMs, space_id, end_use, currency, count(*),
           sum(baseline_kwh), sum(measured_kwh), sum(avoided_kwh), sum(cost), sum(co2_kg),
           group_concat(DISTINCT baseline_version)
         FROM savings_ledger
         WHERE site_id = @siteId AND space_id = @spaceId AND hour_start_ms >= @dayStartMs
           AND hour_start_ms < @dayEndMs AND end_use = @endUse AND kind = @kind AND method = @method
         GROUP BY currency`,
    );
    this.recordZone = db.prepare(
      'INSERT INTO savings_ledger_daily_zone (site_id, zone) VALUES (?, ?) ON CONFLICT (site_id) DO UPDATE SET zone = excluded.zone',
    );
    for (const r of db.prepare('SELECT site_id, zone FROM savings_ledger_daily_zone').all() as {
      site_id: string;
      zone: string;
    }[])
      this.zones.set(r.site_id, r.zone);
    this.realign();
  }

  /** Rebuilds the sums of every site whose zone in the config differs from the one recorded. */
  realign(): void {
    for (const siteId of new Set([...this.sitesWithRows(), ...this.zones.keys()])) {
      const wanted = this.zoneOf(siteId);
      if (wanted !== undefined && wanted !== this.zones.get(siteId)) this.rebuild(siteId, wanted);
      else if (!this.zones.has(siteId)) this.rebuild(siteId, 'UTC');
    }
  }

  /** The zone a site's days are cut in (recorded, else the config's), recording it for a new site. */
  zoneFor(siteId: string): string {
    let zone = this.zones.get(siteId);
    if (zone === undefined) {
      zone = this.zoneOf(siteId) ?? 'UTC';
      this.recordZone.run(siteId, zone);
      this.zones.set(siteId, zone);
    }
    return zone;
  }

  /** The recorded zone, without recording one (queries must not write). */
  recordedZone(siteId: string): string | undefined {
    return this.zones.get(siteId);
  }

  /** Recomputes the days these rows fall in; call inside the transaction that wrote them. */
  update(rows: readonly LedgerRow[]): void {
    const days = new Map<string, Record<string, string | number>>();
    for (const r of rows) {
      const [dayStartMs, dayEndMs] = localDay(r.hourStartMs, this.zoneFor(r.siteId));
      const key = `${r.siteId}|${r.spaceId}|${r.endUse}|${r.kind}|${r.method}|${dayStartMs}`;
      days.set(key, {
        siteId: r.siteId,
        spaceId: r.spaceId,
        endUse: r.endUse,
        kind: r.kind,
        method: r.method,
        dayStartMs,
        dayEndMs,
      });
    }
    for (const day of days.values()) {
      this.dropDay.run(day);
      this.sumDay.run(day);
    }
  }

  /** Every site with hourly rows, by index seeks (a DISTINCT would read every row). */
  private sitesWithRows(): string[] {
    const next = this.db
      .prepare('SELECT site_id FROM savings_ledger WHERE site_id > ? ORDER BY site_id LIMIT 1')
      .pluck();
    const sites: string[] = [];
    for (let s = next.get('') as string | undefined; s !== undefined; s = next.get(s) as string | undefined)
      sites.push(s);
    return sites;
  }

  /** Once per zone change: the day sums of every series of the site, each a primary-key range read. */
  private rebuild(siteId: string, zone: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM savings_ledger_daily WHERE site_id = ?').run(siteId);
      const span = this.db
        .prepare(
          'SELECT min(hour_start_ms) AS lo, max(hour_start_ms) AS hi FROM savings_ledger WHERE site_id = ?',
        )
        .get(siteId) as { lo: number | null; hi: number | null };
      if (span.lo !== null && span.hi !== null) {
        const series = this.db
          .prepare(
            `SELECT DISTINCT space_id AS spaceId, end_use AS endUse, kind, method FROM savings_ledger
             WHERE site_id = ?`,
          )
          .all(siteId) as { spaceId: string; endUse: string; kind: string; method: string }[];
        for (let [dayStartMs, dayEndMs] = localDay(span.lo, zone); dayStartMs <= span.hi; ) {
          for (const s of series) this.sumDay.run({ siteId, ...s, dayStartMs, dayEndMs });
          [dayStartMs, dayEndMs] = localDay(dayEndMs, zone);
        }
      }
      this.recordZone.run(siteId, zone);
    })();
    this.zones.set(siteId, zone);
  }
}

/** [start, end) of the local day holding `tMs`, in ms since epoch. */
export function localDay(tMs: number, zone: string): [number, number] {
  const start = DateTime.fromMillis(tMs, { zone }).startOf('day');
  return [start.toMillis(), start.plus({ days: 1 }).toMillis()];
}

/** The whole local days inside [fromMs, toMs): [dayFrom, dayTo), or [toMs, toMs) when there is none. */
export function wholeLocalDays(fromMs: number, toMs: number, zone: string): [number, number] {
  const [startOfFirst] = localDay(fromMs, zone);
  const dayFrom = startOfFirst === fromMs ? fromMs : localDay(fromMs, zone)[1];
  const [dayTo] = localDay(toMs, zone);
  return dayFrom < dayTo ? [dayFrom, dayTo] : [toMs, toMs];
}
