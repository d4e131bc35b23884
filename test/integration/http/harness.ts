import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { AccessControl } from '../../../src/adapters/http/auth/access-control.js';
import { ConfigState } from '../../../src/adapters/http/config-state.js';
import type { DeviceStatusView, HttpDeps, PlanView } from '../../../src/adapters/http/deps.js';
import { meterSpacesOf, serviceMetrics } from '../../../src/adapters/http/metrics.js';
import { type ReadinessProbe, storeReadiness } from '../../../src/adapters/http/readiness.js';
import { pageBounds } from '../../../src/adapters/http/routes/savings.js';
import { buildHttpApp } from '../../../src/adapters/http/server.js';
import { SqliteAccessStore } from '../../../src/adapters/sqlite/access-store.js';
import { SqliteAuditPageReader } from '../../../src/adapters/sqlite/audit-page-reader.js';
import { SqliteCommandLogStore } from '../../../src/adapters/sqlite/command-log-store.js';
import { SqliteLatestModelsReader } from '../../../src/adapters/sqlite/latest-models-reader.js';
import { SqliteOpsMetricsReader } from '../../../src/adapters/sqlite/ops-metrics-reader.js';
import { openSqliteStorage, type SqliteStorage } from '../../../src/adapters/sqlite/storage.js';
import { sqliteWriteProbe } from '../../../src/adapters/sqlite/write-probe.js';
import { parseConfigText } from '../../../src/config/parse.js';
import type { QuietWattConfig } from '../../../src/config/schema/index.js';
import type { Alert } from '../../../src/domain/alerts/alert.js';
import {
  type CommandEnvelope,
  type CommandResponse,
  done,
  refused,
} from '../../../src/domain/commands/envelope.js';
import { SAVINGS_METHODS } from '../../../src/domain/savings/ledger.js';
import type { ComfortView, SavingsFigure, SavingsView } from '../../../src/ports/savings-view.js';
import { captureLogger } from '../../helpers/logger.js';

/** Two sites in different zones (Shanghai, Berlin), one device, secrets in the URLs to redact. */
export const CONFIG_YAML = `
version: 1
storage: { dir: STORAGE_DIR }
mqtt: { url: "mqtt://u:secretpw@broker.example:1883" }
alerts: { webhook: { url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY" } }
schedules:
  - { id: lobby-lighting, kind: lighting, defaultLevelPct: 100 }
sites:
  - id: north
    name: 北苑 North Court
    timezone: Asia/Shanghai
    spaces:
      - id: lobby
        name: 大堂 Lobby
        type: lobby
        areaM2: 120
        meters:
          - { id: north-lobby-meter, topic: t/north/lobby, format: json, measures: lighting, value: cumulative }
        sensors:
          - { id: north-lobby-pir, kind: occupancy, topic: t/north/lobby/pir }
        devices:
          - { id: north-lobby-lights, kind: lighting, ratedPowerW: 400, schedule: lobby-lighting }
  - id: south
    name: South Court
    timezone: Europe/Berlin
    spaces:
      - id: garage
        type: garage
        areaM2: 900
        meters:
          - { id: south-garage-meter, topic: t/south/garage, format: json, measures: lighting, value: cumulative }
`;

export const NOW_MS = Date.parse('2026-06-15T04:00:00Z');

/**
 * The SavingsView port over the real ledger store's `sumLedger`, one call per period, kind and
 * method: a stand-in for the savings read model, enough to test the routes against a real file.
 */
export function ledgerSavingsFake(storage: SqliteStorage, config: Readonly<QuietWattConfig>): SavingsView {
  return {
    savings(q) {
      const zone =
        config.sites.find((s) => s.id === q.siteId)?.timezone ?? config.sites[0]?.timezone ?? 'UTC';
      const bounds =
        q.granularity === 'total' ? [q.fromMs, q.toMs] : pageBounds(q.fromMs, q.toMs, zone, q.granularity);
      const out: SavingsFigure[] = [];
      for (let i = 0; i + 1 < bounds.length; i++) {
        const fromMs = bounds[i] as number;
        const toMs = bounds[i + 1] as number;
        for (const kind of ['measured', 'estimated'] as const)
          for (const method of SAVINGS_METHODS) {
            const totals = storage.stores.ledger.sumLedger({
              kind,
              method,
              fromMs,
              toMs,
              ...(q.siteId === undefined ? {} : { siteId: q.siteId }),
              ...(q.spaceId === undefined ? {} : { spaceId: q.spaceId }),
              ...(q.endUse === undefined ? {} : { endUse: q.endUse }),
            });
            for (const t of totals)
              out.push({
                periodStartMs: fromMs,
                periodEndMs: toMs,
                siteId: t.siteId,
                spaceId: t.spaceId,
                endUse: t.endUse,
                kind,
                method,
                hours: t.hours,
                baselineKWh: t.baselineKWh,
                actualKWh: t.measuredKWh,
                avoidedKWh: t.avoidedKWh,
                avoidedShare: t.baselineKWh > 0 ? t.avoidedKWh / t.baselineKWh : 0,
                cost: t.cost,
                currency: t.currency,
                co2Kg: t.co2Kg,
                provisional: true,
                provenance: ['test'],
                nonRoutine: [],
              });
          }
      }
      return out;
    },
  };
}

export interface Harness {
  readonly app: FastifyInstance;
  readonly storage: SqliteStorage;
  readonly access: AccessControl;
  readonly config: Readonly<QuietWattConfig>;
  readonly configState: ConfigState;
  readonly tokens: { readonly viewer: string; readonly operator: string; readonly scopedSouth: string };
  readonly commands: CommandEnvelope[];
  /** The log GET /api/v1/commands reads; tests append to it. */
  readonly commandLog: SqliteCommandLogStore;
  readonly dir: string;
  readonly readiness: { probe: ReadinessProbe };
  plan: PlanView | undefined;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { metricsOpen?: boolean; signInPerMinute?: number } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'qw-http-'));
  const parsed = parseConfigText(CONFIG_YAML.replace('STORAGE_DIR', dir), 'test.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  const config = parsed.config;
  const storage = openSqliteStorage(dir, captureLogger());
  const db = storage.database.db;
  const access = new AccessControl(new SqliteAccessStore(db));
  const tokens = {
    viewer: await access.createToken('viewer-1', 'viewer', null),
    operator: await access.createToken('operator-1', 'operator', null),
    scopedSouth: await access.createToken('south-operator', 'operator', ['south']),
  };
  const configState = new ConfigState('test.yaml', config);
  const commands: CommandEnvelope[] = [];
  const commandLog = new SqliteCommandLogStore(db);
  const alerts: Alert[] = [
    {
      key: 'stale-meter:north:lobby:north-lobby-meter',
      kind: 'stale-meter',
      siteId: 'north',
      spaceId: 'lobby',
      severity: 'warning',
      message: 'north-lobby-meter silent for 45 min',
      sinceMs: NOW_MS - 3_600_000,
      clearedAtMs: null,
    },
    {
      key: 'override:south:garage:*',
      kind: 'override',
      siteId: 'south',
      spaceId: 'garage',
      severity: 'info',
      message: 'manual override',
      sinceMs: NOW_MS - 7_200_000,
      clearedAtMs: NOW_MS - 3_600_000,
    },
  ];
  const devices: DeviceStatusView[] = [
    {
      key: 'north/lobby/north-lobby-lights',
      mode: 'active',
      commissioning: 'passed',
      ack: 'acknowledged',
      handedBack: false,
      lastValue: 'level 40 %',
      leaseUntilMs: NOW_MS + 600_000,
      overrideUntilMs: NOW_MS + 1_800_000,
    },
  ];
  const readiness = {
    probe: storeReadiness({ writeProbe: sqliteWriteProbe(db), dir, mqttConnected: () => true }),
  };
  const clock = { now: () => NOW_MS };
  const comfort: ComfortView = {
    comfort: (q) =>
      config.sites
        .filter((s) => q.siteId === undefined || s.id === q.siteId)
        .flatMap((s) =>
          s.spaces
            .filter((sp) => q.spaceId === undefined || sp.id === q.spaceId)
            .map((sp) => ({
              siteId: s.id,
              spaceId: sp.id,
              discomfortKh: 0.5,
              underLitOccupiedHours: 1,
              occupiedHours: (q.toMs - q.fromMs) / 3_600_000,
            })),
        ),
  };
  const ingest = {
    stats: () => ({
      meters: {
        'north-lobby-meter': { accepted: 10, rejected: { 'bad-json': 2 }, lastReadingTsMs: NOW_MS - 60_000 },
        'south-garage-meter': { accepted: 5, rejected: {}, lastReadingTsMs: NOW_MS - 5 * 3_600_000 },
      },
    }),
  };
  const sensors = {
    freshness: () => [
      {
        id: 'north-lobby-pir',
        siteId: 'north',
        spaceId: 'lobby',
        kind: 'occupancy' as const,
        lastSeenMs: NOW_MS - 120_000,
        staleAfterMinutes: 720,
      },
    ],
    isStale: () => false,
    stats: () => ({ sensors: { 'north-lobby-pir': { accepted: 7, rejected: {} } } }),
    latest: (siteId: string, spaceId: string | null) =>
      siteId === 'north' && spaceId === 'lobby'
        ? { sensorId: 'north-lobby-pir', value: 1, tsMs: NOW_MS - 120_000 }
        : undefined,
  };
  const holder: { plan: PlanView | undefined } = { plan: undefined };
  const control = {
    status: () => devices,
    releaseState: () => ({ fireAlarm: false, operator: false }),
    planOf: (siteId: string, spaceId: string) =>
      siteId === 'north' && spaceId === 'lobby' ? holder.plan : undefined,
    spaceMode: (siteId: string, spaceId: string) =>
      siteId === 'north' && spaceId === 'lobby'
        ? { mode: 'active' as const, source: 'operator' as const }
        : undefined,
  };
  const metrics = serviceMetrics({
    now: clock.now,
    ingest,
    sensors,
    control,
    meterStaleMinutes: () => 30,
    setpointCounts: (f, t) => new SqliteOpsMetricsReader(db).setpointCounts(f, t),
    newestLedgerHourMs: () => new SqliteOpsMetricsReader(db).newestLedgerHourMs(),
    openAlerts: () => alerts.filter((a) => a.clearedAtMs === null),
    meterSpaces: () => meterSpacesOf(config),
  });
  const deps: HttpDeps = {
    clock,
    config: configState,
    access,
    control,
    ingest,
    sensors,
    savings: ledgerSavingsFake(storage, config),
    comfort,
    audit: new SqliteAuditPageReader(db),
    models: new SqliteLatestModelsReader(db),
    alerts: {
      alerts: (q) =>
        alerts.filter(
          (a) =>
            (q.open === false || a.clearedAtMs === null) &&
            (q.siteId === undefined || a.siteId === q.siteId) &&
            (q.kind === undefined || a.kind === q.kind),
        ),
    },
    commands: {
      execute: async (c): Promise<CommandResponse> => {
        commands.push(c);
        if (c.action === 'clear-override' && c.target.spaceId === 'nowhere')
          return refused(c, 'unknown space "nowhere"', NOW_MS);
        return done(c, NOW_MS, [`${c.action} carried out`]);
      },
    },
    commandLog,
    readiness: { check: () => readiness.probe.check() },
  };
  const app = await buildHttpApp(deps, {
    host: '127.0.0.1',
    port: 0,
    trustProxy: false,
    sessionHours: 12,
    secureCookie: false,
    signInPerMinute: options.signInPerMinute ?? 100,
    metricsOpen: options.metricsOpen ?? false,
    metrics,
  });
  const harness: Harness = {
    app,
    storage,
    access,
    config,
    configState,
    tokens,
    commands,
    commandLog,
    dir,
    readiness,
    get plan() {
      return holder.plan;
    },
    set plan(p) {
      holder.plan = p;
    },
    inject: (o) => app.inject(o),
    close: async () => {
      await app.close();
      metrics.stop();
      storage.database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF), after checking and dropping the BOM. */
export function parseCsv(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error('CSV without a UTF-8 BOM');
  const body = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

export const readText = (path: string) => readFileSync(path, 'utf8');
