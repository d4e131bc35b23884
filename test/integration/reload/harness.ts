/**
 * The forecast service, the savings ledger and the savings views over a real SQLite file, on a
 * simulated clock, reloaded through the same ConfigReloader the service uses. Fits run inline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { SqliteSensorStore } from '../../../src/adapters/sqlite/sensor-store.js';
import { openSqliteStorage, type SqliteStorage } from '../../../src/adapters/sqlite/storage.js';
import { validateConfig } from '../../../src/config/parse.js';
import type { QuietWattConfig } from '../../../src/config/schema/index.js';
import type { EndUse } from '../../../src/domain/energy.js';
import { ConfigReloader, type ReloadError, type ReloadOutcome } from '../../../src/main/reload.js';
import { type SavingsViewsWiring, wireSavingsViews } from '../../../src/main/savings-views.js';
import type { LedgerRow } from '../../../src/ports/stores.js';
import { ForecastService } from '../../../src/services/forecast/forecast-service.js';
import { InlineFitRunner } from '../../../src/services/modelling/fit-runner.js';
import { SavingsLedgerService } from '../../../src/services/savings/savings-ledger-service.js';
import { type CapturedLine, captureLogger } from '../../helpers/logger.js';
import { writeHours } from '../../unit/forecast-service/fixture.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const SITE = 'site-a';
/** Local midnight in Shanghai (UTC+8). */
export const midnight = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) - 8 * HOUR_MS;
/** Wednesday 2026-02-04, 09:00 local: the reporting period began on February 1. */
export const NOW_MS = midnight(2026, 2, 4) + 9 * HOUR_MS;
const REPORTING_FROM_MS = midnight(2026, 2, 1);

const localHour = (tMs: number): number => new Date(tMs + 8 * HOUR_MS).getUTCHours();
const localWeekday = (tMs: number): number => new Date(tMs + 8 * HOUR_MS).getUTCDay();
/** Busy 08:00-20:00 on weekdays, quiet otherwise and all weekend: a holiday shows as a quiet day. */
export function weekLoad(tMs: number): number {
  const weekend = localWeekday(tMs) === 0 || localWeekday(tMs) === 6;
  const h = localHour(tMs);
  return !weekend && h >= 8 && h < 20 ? 4 : 1;
}

export type RawConfig = Record<string, unknown> & {
  sites: (Record<string, unknown> & { id: string; spaces: Record<string, unknown>[] })[];
};

const light = (id: string) => ({ id, topic: `m/${id}`, measures: 'lighting' });

/** One Shanghai site with a gym (one lighting meter), active, baselines from June to January. */
export function baseConfig(): RawConfig {
  return {
    version: 1,
    forecast: { holidays: 'none', trainDays: 28 },
    control: { defaultMode: 'active' },
    savings: {
      baselines: [{ from: '2025-06-02', to: '2026-01-31' }],
      verification: { enabled: false },
    },
    sites: [
      {
        id: SITE,
        name: 'Site A',
        timezone: 'Asia/Shanghai',
        spaces: [{ id: 'gym', type: 'gym', areaM2: 120, meters: [light('gym-light')] }],
      },
    ],
  };
}

export const lobbySpace = () => ({ id: 'lobby', type: 'lobby', areaM2: 60, meters: [light('lobby-light')] });
export const gymHvacMeter = () => ({ id: 'gym-hvac', topic: 'm/gym-hvac', measures: 'hvac' });

export function validated(raw: unknown): Readonly<QuietWattConfig> {
  const r = validateConfig(raw, 'site.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.config;
}

export interface Harness {
  readonly clock: ManualClock;
  readonly storage: SqliteStorage;
  readonly sensors: SqliteSensorStore;
  readonly forecast: ForecastService;
  readonly savings: SavingsLedgerService;
  readonly views: SavingsViewsWiring;
  readonly log: { lines: CapturedLine[] };
  readonly refused: ReloadError[][];
  /** The config in force. */
  config(): Readonly<QuietWattConfig>;
  /** Edits a copy of the file's content and reloads it; waits for the forecasts it starts. */
  reload(edit: (raw: RawConfig) => void): Promise<ReloadOutcome>;
  /** Ledger rows (measured, baseline method) of a series written so far. */
  rows(spaceId: string, endUse: EndUse): LedgerRow[];
  close(): Promise<void>;
}

export async function startHarness(raw: RawConfig = baseConfig()): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'qw-reload-'));
  const log = captureLogger();
  const storage = openSqliteStorage(dir, log);
  const { stores } = storage;
  // Every meter a test may add has readings: history from before the reload, as an import gives.
  for (const [meterId, spaceId, endUse] of [
    ['gym-light', 'gym', 'lighting'],
    ['gym-hvac', 'gym', 'hvac'],
    ['gym-light-2', 'gym', 'lighting'],
    ['lobby-light', 'lobby', 'lighting'],
  ] as const) {
    const meter = { meterId, spaceId, endUse, siteId: SITE };
    writeHours(stores.intervals, meter, midnight(2025, 6, 2), REPORTING_FROM_MS, weekLoad);
    writeHours(stores.intervals, meter, REPORTING_FROM_MS, NOW_MS + 2 * DAY_MS, (t) => 0.75 * weekLoad(t));
  }
  const sensors = new SqliteSensorStore(storage.database.db);
  const clock = new ManualClock(NOW_MS);
  const scheduler = new SimulatedScheduler(clock);
  const runner = new InlineFitRunner();
  let file = structuredClone(raw);
  let inForce = validated(file);
  const forecast = new ForecastService({
    clock,
    scheduler,
    log: log.child({ component: 'forecast' }),
    intervals: stores.intervals,
    models: stores.models,
    runner,
    sites: inForce.sites,
    forecast: inForce.forecast,
    occupancy: (siteId, spaceId, fromMs, toMs) =>
      sensors.occupancyFractionFor({ siteId, spaceId }, fromMs, toMs, 60),
  });
  const savings = new SavingsLedgerService({
    clock,
    scheduler,
    log: log.child({ component: 'savings' }),
    intervals: stores.intervals,
    models: stores.models,
    ledger: stores.ledger,
    settings: stores.settings,
    runner,
    sites: inForce.sites,
    control: inForce.control,
    tariffs: inForce.tariffs,
    savings: inForce.savings,
    forecast: inForce.forecast,
    schedules: inForce.schedules,
  });
  const views = wireSavingsViews({
    config: inForce,
    savings,
    ...stores,
    sensors,
    audit: stores.setpointAudit,
  });
  const refused: ReloadError[][] = [];
  const reloader = new ConfigReloader({
    file: 'site.yaml',
    running: () => inForce,
    commit: (next) => {
      inForce = next;
    },
    log: log.child({ component: 'config' }),
    reloads: { refused: (errors) => refused.push([...errors]), accepted: () => undefined },
    // The analytics share of the service's steps (src/main.ts), with the same calls.
    steps: [
      { name: 'forecast', apply: (c) => forecast.reconfigure({ sites: c.sites, forecast: c.forecast }) },
      { name: 'savings', apply: (c) => views.reconfigure(c) },
    ],
  });
  await forecast.start();
  await savings.start();
  await forecast.whenIdle();

  return {
    clock,
    storage,
    sensors,
    forecast,
    savings,
    views,
    log,
    refused,
    config: () => inForce,
    async reload(edit) {
      const next = structuredClone(file);
      edit(next);
      const outcome = await reloader.reload(validated(next));
      if (outcome.kind === 'applied') file = next;
      await forecast.whenIdle();
      return outcome;
    },
    rows: (spaceId, endUse) =>
      stores.ledger.ledgerRows({
        kind: 'measured',
        method: 'baseline',
        fromMs: 0,
        toMs: Number.MAX_SAFE_INTEGER,
        siteId: SITE,
        spaceId,
        endUse,
      }),
    async close() {
      await forecast.stop();
      await savings.stop();
      await scheduler.stop();
      await storage.component.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
