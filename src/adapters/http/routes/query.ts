import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { QuietWattConfig, SiteConfig } from '../../../config/schema/index.js';
import { END_USES } from '../../../domain/energy.js';
import { assertSite } from '../auth/guard.js';
import { HttpError } from '../errors.js';
import { parseQueryTime } from '../time.js';

const TIME_HELP =
  'expected an ISO 8601 date-time with offset (2026-06-01T00:00:00+08:00) or a date YYYY-MM-DD';

export const QueryTime = z.string().refine((s) => parseQueryTime(s, 'UTC') !== undefined, TIME_HELP);
export const QueryId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'expected an id');
export const QueryEndUse = z.enum(END_USES);
export const QueryLimit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);
export const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const SiteSpaceQuery = {
  site: QueryId.optional(),
  space: QueryId.optional(),
};

export function siteById(config: Readonly<QuietWattConfig>, siteId: string): SiteConfig {
  const site = config.sites.find((s) => s.id === siteId);
  if (!site) throw new HttpError('QW_HTTP_NOT_FOUND', `no site "${siteId}"`);
  return site;
}

export function spaceById(site: SiteConfig, spaceId: string): SiteConfig['spaces'][number] {
  const space = site.spaces.find((s) => s.id === spaceId);
  if (!space) throw new HttpError('QW_HTTP_NOT_FOUND', `no space "${spaceId}" in site "${site.id}"`);
  return space;
}

/** The site named in the query (checked against the token's scope), else none. */
export function scopedSite(
  request: FastifyRequest,
  config: Readonly<QuietWattConfig>,
  siteId: string | undefined,
  spaceId: string | undefined,
): SiteConfig | undefined {
  if (siteId === undefined) {
    if (spaceId !== undefined)
      throw new HttpError('QW_HTTP_BAD_QUERY', `query parameter "space": "${spaceId}" needs a "site"`);
    return undefined;
  }
  const site = config.sites.find((s) => s.id === siteId);
  if (!site) throw new HttpError('QW_HTTP_BAD_QUERY', `query parameter "site": no site "${siteId}"`);
  assertSite(request, site.id);
  if (spaceId !== undefined && !site.spaces.some((s) => s.id === spaceId))
    throw new HttpError(
      'QW_HTTP_BAD_QUERY',
      `query parameter "space": no space "${spaceId}" in site "${siteId}"`,
    );
  return site;
}

/** [from, to) in ms; dates are local midnight in `zone`; `to` must be after `from` and within `maxDays`. */
export function timeRange(
  from: string,
  to: string,
  zone: string,
  maxDays?: number,
): { readonly fromMs: number; readonly toMs: number } {
  const fromMs = parseQueryTime(from, zone);
  const toMs = parseQueryTime(to, zone);
  if (fromMs === undefined)
    throw new HttpError('QW_HTTP_BAD_QUERY', `query parameter "from": ${TIME_HELP}, got "${from}"`);
  if (toMs === undefined)
    throw new HttpError('QW_HTTP_BAD_QUERY', `query parameter "to": ${TIME_HELP}, got "${to}"`);
  if (toMs <= fromMs)
    throw new HttpError(
      'QW_HTTP_BAD_QUERY',
      `query parameter "to": must be after "from" (${from}), got "${to}"`,
    );
  if (maxDays !== undefined && toMs - fromMs > maxDays * 86_400_000)
    throw new HttpError(
      'QW_HTTP_BAD_QUERY',
      `query parameter "to": the range may span at most ${maxDays} days at this granularity, got "${from}" to "${to}"`,
    );
  return { fromMs, toMs };
}

/** The zone of the named site, else of the first site. */
export function zoneOf(config: Readonly<QuietWattConfig>, site: SiteConfig | undefined): string {
  return (site ?? config.sites[0])?.timezone ?? 'UTC';
}

export function zoneOfSiteId(config: Readonly<QuietWattConfig>, siteId: string | null | undefined): string {
  return config.sites.find((s) => s.id === siteId)?.timezone ?? 'UTC';
}
