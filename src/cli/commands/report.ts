import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { parseReportMonth } from '../../domain/reporting/month-period.js';
import type { CommandOutput } from '../output.js';
import {
  API_OPTIONS,
  API_OPTIONS_USAGE,
  type ApiClient,
  ApiCommandError,
  apiClientFrom,
  describeFailure,
} from './api-client.js';
import { parseOperatorArgs, stringOption } from './broker-command.js';

const USAGE = `Usage: quietwatt report --month YYYY-MM [--site ID] [--lang en|zh] [--out FILE] [--url URL] [--token TOKEN]

Fetches a community's monthly report from the running service: a printable HTML page (A4; print it
to PDF from a browser) with the savings, their method and uncertainty, a chart, comfort, the events of
the month, energy in kgce and the grid emission factor. The month runs from the site's meter-reading
day (meterReadingDay, default 1). Works against a service in a container: it only speaks HTTP.

Options:
  --month YYYY-MM the month (required)
  --site ID       the community (needed when the token sees several)
  --lang en|zh    English (default) or Simplified Chinese
  --out FILE      write the page here (default: standard output)
${API_OPTIONS_USAGE}`;

const SitesJson = z.object({ sites: z.array(z.object({ id: z.string() })) });

async function onlySite(api: ApiClient): Promise<string> {
  const parsed = SitesJson.safeParse(await api.json('/api/v1/sites'));
  if (!parsed.success) throw new ApiCommandError('/api/v1/sites: unexpected answer');
  const ids = parsed.data.sites.map((s) => s.id);
  if (ids.length === 1 && ids[0]) return ids[0];
  throw new ApiCommandError(
    ids.length === 0 ? 'this token sees no site' : `several sites (${ids.join(', ')}): name one with --site`,
  );
}

/** `quietwatt report`: the monthly report page of a community, fetched through the API. */
export async function report(
  args: string[],
  out: CommandOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
  fetchImpl: typeof fetch = fetch,
): Promise<number> {
  const values = parseOperatorArgs(
    args,
    {
      month: { type: 'string', short: 'm' },
      site: { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string', short: 'o' },
      ...API_OPTIONS,
    },
    USAGE,
    out,
  );
  if (typeof values === 'number') return values;
  const month = stringOption(values, 'month');
  if (month === undefined || parseReportMonth(month) === undefined) {
    out.error(`--month: expected a month YYYY-MM, got ${JSON.stringify(month ?? '')}\n\n${USAGE}`);
    return 2;
  }
  const lang = stringOption(values, 'lang') ?? 'en';
  if (lang !== 'en' && lang !== 'zh') {
    out.error(`--lang: expected en or zh, got ${JSON.stringify(lang)}`);
    return 2;
  }
  const api = apiClientFrom(values, env, out, fetchImpl);
  if (!api) return 2;
  try {
    const site = stringOption(values, 'site') ?? (await onlySite(api));
    const path = `/report/${encodeURIComponent(site)}/${month}?lang=${lang}`;
    const res = await api.get(path, 'text/html');
    if (res.status !== 200) throw new ApiCommandError(describeFailure(res, path));
    const file = stringOption(values, 'out');
    if (file === undefined) out.log(res.body);
    else {
      writeFileSync(file, res.body);
      out.log(`wrote the ${month} report of ${site} (${lang}) to ${file}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ApiCommandError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}
