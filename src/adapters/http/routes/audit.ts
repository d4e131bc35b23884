import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { QuietWattConfig } from '../../../config/schema/index.js';
import type { SetpointAuditEntry } from '../../../ports/stores.js';
import type { AuditPageQuery } from '../../sqlite/audit-page-reader.js';
import { requireViewer } from '../auth/guard.js';
import { CSV_CONTENT_TYPE, type CsvValue, csvStream } from '../csv.js';
import type { HttpDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import { isoIn, isoOrNull } from '../time.js';
import {
  QueryId,
  QueryLimit,
  QueryTime,
  SiteSpaceQuery,
  scopedSite,
  timeRange,
  zoneOf,
  zoneOfSiteId,
} from './query.js';

const Filters = { from: QueryTime, to: QueryTime, ...SiteSpaceQuery, device: QueryId.optional() };
const AuditParams = z
  .object({ ...Filters, limit: QueryLimit(500, 100), cursor: z.string().max(200).optional() })
  .strict();
const AuditCsvParams = z.object(Filters).strict();

/** CSV exports read the log this many rows at a time. */
const CSV_PAGE_ROWS = 1_000;

export const AUDIT_CSV_HEADER = [
  'decided_at',
  'site',
  'space',
  'device',
  'kind',
  'value',
  'reason',
  'mode',
  'plan_id',
  'valid_until',
  'published_at',
  'acknowledged_at',
  'id',
] as const;

/** An opaque cursor: the (decision time, id) of the last entry of a page. */
export function encodeCursor(e: Pick<SetpointAuditEntry, 'decidedAtMs' | 'id'>): string {
  return Buffer.from(JSON.stringify([e.decidedAtMs, e.id])).toString('base64url');
}

function decodeCursor(text: string): { decidedAtMs: number; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string')
      return { decidedAtMs: v[0], id: v[1] };
  } catch {
    // fall through to the error below
  }
  throw new HttpError(
    'QW_HTTP_BAD_QUERY',
    `query parameter "cursor": not a cursor this API gave out, got "${text}"`,
  );
}

function parseValue(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

export function entryJson(e: SetpointAuditEntry, zone: string) {
  return {
    id: e.id,
    siteId: e.siteId,
    spaceId: e.spaceId,
    deviceId: e.deviceId,
    kind: e.kind,
    value: parseValue(e.valueJson),
    reason: e.reason,
    mode: e.mode,
    planId: e.planId,
    decidedAt: isoIn(e.decidedAtMs, zone),
    validUntil: isoIn(e.validUntilMs, zone),
    publishedAt: isoOrNull(e.publishedAtMs, zone),
    acknowledgedAt: isoOrNull(e.acknowledgedAtMs, zone),
  };
}

function entryRow(e: SetpointAuditEntry, zone: string): CsvValue[] {
  return [
    isoIn(e.decidedAtMs, zone),
    e.siteId,
    e.spaceId,
    e.deviceId,
    e.kind,
    e.valueJson,
    e.reason,
    e.mode,
    e.planId,
    isoIn(e.validUntilMs, zone),
    isoOrNull(e.publishedAtMs, zone),
    isoOrNull(e.acknowledgedAtMs, zone),
    e.id,
  ];
}

function baseQuery(
  request: FastifyRequest,
  config: Readonly<QuietWattConfig>,
  q: z.infer<typeof AuditCsvParams>,
): Omit<AuditPageQuery, 'limit'> {
  const site = scopedSite(request, config, q.site, q.space);
  if (q.device !== undefined && q.space === undefined)
    throw new HttpError('QW_HTTP_BAD_QUERY', `query parameter "device": "${q.device}" needs a "space"`);
  // A scoped token without a site filter sees only its sites: one page query per site would be
  // needed, so ask it to name the site instead.
  const identity = request.identity;
  if (!site && identity?.sites !== null && identity?.sites !== undefined) {
    if (identity.sites.length !== 1)
      throw new HttpError(
        'QW_HTTP_BAD_QUERY',
        `query parameter "site": token "${identity.name}" is scoped; name a site`,
      );
  }
  const siteId = site?.id ?? (identity?.sites?.length === 1 ? identity.sites[0] : undefined);
  const { fromMs, toMs } = timeRange(q.from, q.to, zoneOf(config, site));
  return {
    fromMs,
    toMs,
    ...(siteId === undefined ? {} : { siteId }),
    ...(q.space === undefined ? {} : { spaceId: q.space }),
    ...(q.device === undefined ? {} : { deviceId: q.device }),
  };
}

export function auditRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/audit',
    { preHandler: requireViewer, schema: { querystring: AuditParams } },
    async (request) => {
      const q = request.query;
      const config = deps.config.current();
      const base = baseQuery(request, config, q);
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      // One extra row says whether another page follows.
      const rows = deps.audit.page({ ...base, limit: q.limit + 1, ...(after ? { after } : {}) });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        entries: page.map((e) => entryJson(e, zoneOfSiteId(config, e.siteId))),
        nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
      };
    },
  );

  r.get(
    '/api/v1/audit.csv',
    { preHandler: requireViewer, schema: { querystring: AuditCsvParams } },
    async (request, reply) => {
      const config = deps.config.current();
      const base = baseQuery(request, config, request.query);
      function* pages(): Iterable<CsvValue[][]> {
        let after: { decidedAtMs: number; id: string } | undefined;
        for (;;) {
          const rows = deps.audit.page({ ...base, limit: CSV_PAGE_ROWS, ...(after ? { after } : {}) });
          yield rows.map((e) => entryRow(e, zoneOfSiteId(config, e.siteId)));
          const last = rows[rows.length - 1];
          if (rows.length < CSV_PAGE_ROWS || !last) return;
          after = { decidedAtMs: last.decidedAtMs, id: last.id };
        }
      }
      return reply
        .header('content-type', CSV_CONTENT_TYPE)
        .header('content-disposition', 'attachment; filename="quietwatt-audit.csv"')
        .send(csvStream(AUDIT_CSV_HEADER, pages));
    },
  );
}
