/**
 * The bench's portfolio: one community of `spaces` shared spaces, five meters each, and a year of
 * what a running service leaves in its store, written through the store ports (so the rows have the
 * shape the service writes): an hourly savings ledger for lighting and HVAC, and a setpoint audit log
 * of two devices per space changing every `auditEveryMinutes`.
 */
import { openSqliteStorage } from '../../src/adapters/sqlite/storage.js';
import type { Logger } from '../../src/ports/logger.js';
import type { LedgerRow, SetpointAuditEntry } from '../../src/ports/stores.js';

export const SITE_ID = 'bench-city';
export const SITE_ZONE = 'Asia/Shanghai';
export const METERS_PER_SPACE = 5;
const HOUR_MS = 3_600_000;
const END_USES = ['lighting', 'hvac'] as const;
const METER_USES = ['lighting', 'lighting', 'hvac', 'hvac', 'total'] as const;
const SPACE_TYPES = ['lobby', 'corridor', 'elevator-hall', 'garage', 'gym'] as const;

export const spaceIdOf = (i: number): string => `space-${String(i).padStart(3, '0')}`;

/** The config the service runs on: system clock, no simulator, the bench's broker, meters only. */
export function benchConfig(o: {
  spaces: number;
  storageDir: string;
  mqttUrl: string;
  httpPort: number;
  topicPrefix: string;
}): object {
  return {
    version: 1,
    mqtt: { url: o.mqttUrl, clientId: 'quietwatt-bench', topicPrefix: 'quietwatt' },
    storage: { dir: o.storageDir },
    clock: { source: 'system' },
    simulator: { enabled: false },
    http: { host: '127.0.0.1', port: o.httpPort },
    logLevel: 'warn',
    control: { defaultMode: 'active' },
    sites: [
      {
        id: SITE_ID,
        name: 'Bench City',
        timezone: SITE_ZONE,
        spaces: Array.from({ length: o.spaces }, (_, s) => ({
          id: spaceIdOf(s),
          type: SPACE_TYPES[s % SPACE_TYPES.length],
          areaM2: 100,
          meters: METER_USES.map((measures, k) => ({
            id: `m-${s * METERS_PER_SPACE + k}`,
            topic: `${o.topicPrefix}/${s * METERS_PER_SPACE + k}`,
            measures,
          })),
        })),
      },
    ],
  };
}

export interface SeedCounts {
  readonly ledgerRows: number;
  readonly auditRows: number;
  readonly seconds: number;
}

const silent: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

/** Writes the year before `endMs` (an hour start) into the store in `storageDir`. */
export function seedStore(o: {
  storageDir: string;
  spaces: number;
  endMs: number;
  auditEveryMinutes: number;
}): SeedCounts {
  const started = performance.now();
  const storage = openSqliteStorage(o.storageDir, silent, { zoneOf: () => SITE_ZONE });
  const { ledger, setpointAudit } = storage.stores;
  // One transaction per batch, as a busy service's writes would be grouped.
  const writeAudit = (entries: SetpointAuditEntry[]): number => {
    const n = entries.length;
    storage.database.db.transaction(() => {
      for (const e of entries) setpointAudit.record(e);
    })();
    entries.length = 0;
    return n;
  };
  const fromMs = o.endMs - 365 * 24 * HOUR_MS;
  let ledgerRows = 0;
  let auditRows = 0;
  try {
    for (let s = 0; s < o.spaces; s++) {
      const spaceId = spaceIdOf(s);
      const rows: LedgerRow[] = [];
      for (let t = fromMs; t < o.endMs; t += HOUR_MS) {
        const hour = new Date(t).getUTCHours();
        for (const endUse of END_USES) {
          // A plausible day shape with some noise: the bench measures reads, not savings.
          const baselineKWh = (endUse === 'hvac' ? 3 : 1) * (1 + Math.sin((hour / 24) * Math.PI * 2) * 0.4);
          const measuredKWh = baselineKWh * (0.7 + ((t / HOUR_MS + s) % 7) * 0.02);
          const avoidedKWh = baselineKWh - measuredKWh;
          rows.push({
            hourStartMs: t,
            siteId: SITE_ID,
            spaceId,
            endUse,
            baselineKWh,
            measuredKWh,
            avoidedKWh,
            cost: avoidedKWh * 0.6,
            currency: 'CNY',
            co2Kg: avoidedKWh * 0.58,
            kind: 'measured',
            method: 'baseline',
            baselineVersion: 'towt-v1@1',
          });
        }
      }
      ledger.upsertLedger(rows);
      ledgerRows += rows.length;

      const step = o.auditEveryMinutes * 60_000;
      const entries: SetpointAuditEntry[] = [];
      for (let t = fromMs, n = 0; t < o.endMs; t += step, n++) {
        for (const [deviceId, kind] of [
          ['lights', 'lighting'],
          ['ac', 'hvac'],
        ] as const) {
          entries.push({
            id: `${spaceId}-${deviceId}-${n}`,
            siteId: SITE_ID,
            spaceId,
            deviceId,
            kind,
            valueJson:
              kind === 'lighting' ? `{"levelPct":${40 + (n % 4) * 20}}` : '{"mode":"cool","setpointC":26}',
            reason: n % 2 === 0 ? 'plan: occupied' : 'plan: unoccupied',
            mode: 'active',
            inputsJson: '{"occupancy":0.4,"outdoorC":31.2,"stale":[]}',
            decidedAtMs: t,
            validUntilMs: t + 30 * 60_000,
            planId: `${spaceId}-plan-${Math.floor(t / (15 * 60_000))}`,
            publishedAtMs: t + 20,
            acknowledgedAtMs: t + 900,
          });
        }
        if (entries.length >= 20_000) auditRows += writeAudit(entries);
      }
      auditRows += writeAudit(entries);
    }
  } finally {
    void storage.component.stop();
  }
  return { ledgerRows, auditRows, seconds: (performance.now() - started) / 1000 };
}
