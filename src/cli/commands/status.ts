import { z } from 'zod';
import type { CommandOutput } from '../output.js';
import {
  API_OPTIONS,
  API_OPTIONS_USAGE,
  type ApiClient,
  ApiCommandError,
  apiClientFrom,
} from './api-client.js';
import { parseOperatorArgs, stringOption } from './broker-command.js';
import {
  AlertJson,
  FigureJson,
  formatSites,
  formatSpace,
  type SiteReport,
  SiteStatusJson,
  SpaceStatusJson,
} from './status-format.js';

const USAGE = `Usage: quietwatt status [--site ID] [--space ID] [--json] [--url URL] [--token TOKEN]

Asks the running service how it is doing: per community the mode of each space and where it was
set, this month's savings, devices acknowledged and overridden, stale meters and sensors, and the
open alerts; with --space, that space's devices, meters and sensors in detail. Works against a
service in a container: it only speaks HTTP.

Options:
  --site ID       only this community
  --space ID      one space in detail (needs --site when the token sees several)
  --json          the API's answers as JSON, for scripts
${API_OPTIONS_USAGE}`;

function parse<S extends z.ZodType>(schema: S, value: unknown, path: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ApiCommandError(
    `${path}: unexpected answer at ${issue?.path.join('.') ?? '?'} (${issue?.message ?? ''})`,
  );
}

const SitesJson = z.object({ sites: z.array(z.object({ id: z.string() })) });

/** The local calendar month of a site's `now`, as API dates. */
function monthOf(nowIso: string): { from: string; to: string } {
  const y = Number(nowIso.slice(0, 4));
  const m = Number(nowIso.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${nowIso.slice(0, 7)}-01`, to: `${next}-01` };
}

async function siteReport(api: ApiClient, siteId: string): Promise<{ report: SiteReport; raw: unknown }> {
  const sitePath = `/api/v1/sites/${encodeURIComponent(siteId)}`;
  const rawSite = await api.json(sitePath);
  const site = parse(SiteStatusJson, rawSite, sitePath);
  const range = monthOf(site.now);
  const savingsPath = `/api/v1/savings?${new URLSearchParams({ site: siteId, granularity: 'month', ...range })}`;
  const alertsPath = `/api/v1/alerts?${new URLSearchParams({ site: siteId })}`;
  const [rawSavings, rawAlerts] = await Promise.all([api.json(savingsPath), api.json(alertsPath)]);
  const month = parse(z.object({ figures: z.array(FigureJson) }), rawSavings, savingsPath).figures;
  const alerts = parse(z.object({ alerts: z.array(AlertJson) }), rawAlerts, alertsPath).alerts;
  return { report: { site, month, alerts }, raw: { site: rawSite, savings: rawSavings, alerts: rawAlerts } };
}

/** `quietwatt status`: what the running service is doing, through its API. */
export async function status(
  args: string[],
  out: CommandOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  const values = parseOperatorArgs(
    args,
    { site: { type: 'string' }, space: { type: 'string' }, json: { type: 'boolean' }, ...API_OPTIONS },
    USAGE,
    out,
  );
  if (typeof values === 'number') return values;
  const api = apiClientFrom(values, env, out, fetchImpl);
  if (!api) return 2;
  const json = values.json === true;
  try {
    const listed = parse(SitesJson, await api.json('/api/v1/sites'), '/api/v1/sites').sites.map((s) => s.id);
    const wanted = stringOption(values, 'site');
    if (wanted !== undefined && !listed.includes(wanted))
      throw new ApiCommandError(
        `no site ${JSON.stringify(wanted)} for this token (sites: ${listed.join(', ') || 'none'})`,
      );
    const spaceId = stringOption(values, 'space');
    if (spaceId !== undefined) {
      const siteId = wanted ?? (listed.length === 1 ? listed[0] : undefined);
      if (siteId === undefined)
        throw new ApiCommandError(`--space needs --site (sites: ${listed.join(', ')})`);
      const path = `/api/v1/sites/${encodeURIComponent(siteId)}/spaces/${encodeURIComponent(spaceId)}`;
      const raw = await api.json(path);
      if (json) out.log(JSON.stringify(raw, null, 2));
      else {
        const site = parse(
          SiteStatusJson,
          await api.json(`/api/v1/sites/${encodeURIComponent(siteId)}`),
          siteId,
        );
        for (const line of formatSpace(site.name, parse(SpaceStatusJson, raw, path))) out.log(line);
      }
      return 0;
    }
    const results = await Promise.all((wanted ? [wanted] : listed).map((id) => siteReport(api, id)));
    if (json) out.log(JSON.stringify({ sites: results.map((r) => r.raw) }, null, 2));
    else for (const line of formatSites(results.map((r) => r.report))) out.log(line);
    return 0;
  } catch (error) {
    if (error instanceof ApiCommandError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}
