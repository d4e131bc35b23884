import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { ReportLang } from '../../../domain/reporting/method-words.js';
import {
  formatReportMonth,
  type MonthPeriod,
  monthPeriod,
  type ReportMonth,
} from '../../../domain/reporting/month-period.js';
import { EMISSION_FACTOR_PRESETS } from '../../../domain/tariff/presets.js';
import {
  type AlertJson,
  AlertsJson,
  ComfortJson,
  type ComfortKpiJson,
  type CommandJson,
  CommandsJson,
  ConfigJson,
  type EmissionFactorJson,
  SavingsJson,
  SiteJson,
} from '../api-shapes.js';
import { pickFigures, type ShownFigure } from './figures.js';

/** A GET on the service's own API, as the caller (their cookie or bearer token is forwarded). */
export type ApiGet = (path: string) => Promise<{ readonly status: number; readonly body: string }>;

/** The API refused or failed: the report answers with the same status. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ReportSpace {
  readonly id: string;
  readonly name: string;
  readonly mode: string;
  readonly figures: ShownFigure[];
  readonly comfort?: ComfortKpiJson;
}

export interface DailyPoint {
  readonly date: string;
  readonly baselineKWh: number;
  readonly actualKWh: number;
}

export interface ReportEvent {
  readonly at: string;
  readonly kind: string;
  readonly where: string;
  readonly message: string;
  /** Alerts only: when the condition ended, null while it holds; undefined for other events. */
  readonly clearedAt?: string | null;
}

export interface ReportData {
  readonly lang: ReportLang;
  readonly month: string;
  readonly site: SiteJson;
  readonly readingDay: number;
  readonly period: MonthPeriod;
  readonly generatedAt: string;
  readonly community: ShownFigure[];
  readonly spaces: ReportSpace[];
  readonly daily: DailyPoint[];
  readonly dailyKind: 'measured' | 'estimated' | null;
  readonly events: ReportEvent[];
  readonly emissionFactor: EmissionFactorJson | undefined;
}

async function getJson<S extends z.ZodType>(get: ApiGet, path: string, schema: S): Promise<z.infer<S>> {
  const res = await get(path);
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    body = undefined;
  }
  if (res.status !== 200) {
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : `HTTP ${res.status}`;
    throw new ApiRefusal(res.status, path, message);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiRefusal(
      500,
      path,
      `unexpected answer from ${path} at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();

function emissionFactorOf(config: ConfigJson['config'], siteId: string): EmissionFactorJson | undefined {
  const tariffs = config.tariffs;
  const id = tariffs?.siteEmissionFactors[siteId] ?? tariffs?.defaultEmissionFactor;
  if (id === undefined) return undefined;
  return (
    tariffs?.emissionFactors.find((f) => f.id === id) ?? EMISSION_FACTOR_PRESETS.find((f) => f.id === id)
  );
}

/** Days of one kind and method: the figure the chart compares, never a mix. */
function dailySeries(figures: readonly ShownFigure[]): {
  kind: 'measured' | 'estimated' | null;
  points: DailyPoint[];
} {
  const first = figures.find((f) => f.kind === 'measured') ?? figures[0];
  if (!first) return { kind: null, points: [] };
  const byDay = new Map<string, ShownFigure[]>();
  for (const f of figures) {
    if (f.kind !== first.kind || f.method !== first.method) continue;
    const day = f.periodStart.slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), f]);
  }
  const points = [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, ofDay]) => {
      const shown = pickFigures(ofDay, 'community').find(
        (f) => f.kind === first.kind && f.method === first.method,
      );
      return { date, baselineKWh: shown?.baselineKWh ?? 0, actualKWh: shown?.actualKWh ?? 0 };
    });
  return { kind: first.kind, points };
}

/** Verification periods are named `<site>:v<n>:<first day>`; a new one starts with a planner change. */
const VERIFICATION_PERIOD = /:v(\d+):(\d{4}-\d{2}-\d{2})$/;

const present = (x: string | null | undefined): x is string => x !== null && x !== undefined;

function commandEvent(c: CommandJson): ReportEvent {
  const what = [c.action, c.mode, c.target.deviceId].filter(present).join(' ');
  return {
    at: c.receivedAt,
    kind: `command:${c.action}`,
    where: [c.target.siteId, c.target.spaceId].filter(present).join(' / '),
    message: `${what} by ${c.issuer}: ${c.status}${c.reason ? ` (${c.reason})` : ''}`,
  };
}

interface EventPeriod {
  readonly fromIso: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly zone: string;
}

/** Alerts, operator commands, non-routine flags and new verification periods of the month. */
function eventsOf(
  alerts: readonly AlertJson[],
  commands: readonly CommandJson[],
  period: EventPeriod,
  community: readonly ShownFigure[],
): ReportEvent[] {
  const { fromIso, fromMs, toMs } = period;
  const events: ReportEvent[] = alerts
    .filter((a) => Date.parse(a.since) < toMs)
    .map((a) => ({
      at: a.since,
      kind: a.kind,
      where: [a.siteId, a.spaceId].filter(present).join(' / '),
      message: a.message,
      clearedAt: a.clearedAt,
    }));
  for (const f of community)
    for (const flag of f.nonRoutine)
      events.push({
        at: fromIso,
        kind: 'non-routine',
        where: f.spaceId ?? '',
        message: flag,
      });
  for (const id of new Set(community.flatMap((f) => f.provenance))) {
    const m = VERIFICATION_PERIOD.exec(id);
    if (!m?.[2]) continue;
    const start = DateTime.fromISO(m[2], { zone: period.zone });
    if (start.toMillis() >= fromMs && start.toMillis() < toMs)
      events.push({
        at: start.toISO({ suppressMilliseconds: true }) ?? m[2],
        kind: 'verification-period',
        where: '',
        message: id,
      });
  }
  for (const c of commands) {
    const atMs = Date.parse(c.receivedAt);
    if (atMs >= fromMs && atMs < toMs) events.push(commandEvent(c));
  }
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The operator commands since `from`, when the API lists them; none when it does not (404). */
async function optionalCommands(get: ApiGet, siteId: string, from: string): Promise<CommandJson[]> {
  const path = `/api/v1/commands?${qs({ site: siteId, since: from, limit: '500' })}`;
  const res = await get(path);
  if (res.status === 404 || res.status === 405) return [];
  return (await getJson(async () => res, path, CommandsJson)).commands;
}

/** Everything the monthly report shows, read through the API as the caller. */
export async function loadReport(
  get: ApiGet,
  input: {
    readonly siteId: string;
    readonly month: ReportMonth;
    readonly lang: ReportLang;
    readonly nowMs: number;
  },
): Promise<ReportData> {
  const sitePath = `/api/v1/sites/${encodeURIComponent(input.siteId)}`;
  const site = await getJson(get, sitePath, SiteJson);
  const { config } = await getJson(get, '/api/v1/config', ConfigJson);
  const readingDay = config.sites.find((s) => s.id === input.siteId)?.meterReadingDay ?? 1;
  const period = monthPeriod(input.month, readingDay, site.timeZone);
  const iso = (ms: number) =>
    DateTime.fromMillis(ms, { zone: site.timeZone }).toISO({ suppressMilliseconds: true }) ?? '';
  const from = iso(period.fromMs);
  const to = iso(period.toMs);
  const base = { site: input.siteId, from, to };
  const [month, daily, comfort, alerts] = await Promise.all([
    getJson(get, `/api/v1/savings?${qs({ ...base, granularity: 'month' })}`, SavingsJson),
    getJson(get, `/api/v1/savings?${qs({ ...base, granularity: 'day' })}`, SavingsJson),
    getJson(get, `/api/v1/comfort?${qs(base)}`, ComfortJson),
    getJson(
      get,
      `/api/v1/alerts?${qs({ site: input.siteId, open: 'false', since: from, limit: '500' })}`,
      AlertsJson,
    ),
  ]);
  const commands = await optionalCommands(get, input.siteId, from);
  const perSpace = await Promise.all(
    site.spaces.map((s) =>
      getJson(get, `/api/v1/savings?${qs({ ...base, space: s.spaceId, granularity: 'month' })}`, SavingsJson),
    ),
  );
  const community = pickFigures(month.figures, 'community');
  const series = dailySeries(daily.figures);
  return {
    lang: input.lang,
    month: formatReportMonth(input.month),
    site,
    readingDay,
    period,
    generatedAt: iso(input.nowMs),
    community,
    spaces: site.spaces.map((s, i) => {
      const kpi = comfort.kpis.find((k) => k.spaceId === s.spaceId);
      return {
        id: s.spaceId,
        name: s.name ?? s.spaceId,
        mode: s.mode,
        figures: pickFigures(perSpace[i]?.figures ?? [], 'space'),
        ...(kpi ? { comfort: kpi } : {}),
      };
    }),
    daily: series.points,
    dailyKind: series.kind,
    events: eventsOf(
      alerts.alerts,
      commands,
      { fromIso: from, fromMs: period.fromMs, toMs: period.toMs, zone: site.timeZone },
      community,
    ),
    emissionFactor: emissionFactorOf(config, input.siteId),
  };
}
