import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALERT_KINDS } from '../../../domain/alerts/alert.js';
import { requireViewer, seesSite } from '../auth/guard.js';
import type { HttpDeps } from '../deps.js';
import { isoIn, isoOrNull, parseQueryTime } from '../time.js';
import { QueryBool, QueryLimit, QueryTime, SiteSpaceQuery, scopedSite, zoneOfSiteId } from './query.js';

const AlertsParams = z
  .object({
    ...SiteSpaceQuery,
    kind: z.enum(ALERT_KINDS).optional(),
    open: QueryBool.default(true),
    since: QueryTime.optional(),
    limit: QueryLimit(500, 200),
  })
  .strict();

export function alertsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/v1/alerts',
      { preHandler: requireViewer, schema: { querystring: AlertsParams } },
      async (request) => {
        const q = request.query;
        const config = deps.config.current();
        const site = scopedSite(request, config, q.site, q.space);
        const sinceMs = q.since === undefined ? undefined : parseQueryTime(q.since, site?.timezone ?? 'UTC');
        const alerts = deps.alerts
          .alerts({
            open: q.open,
            limit: q.limit,
            ...(q.site === undefined ? {} : { siteId: q.site }),
            ...(q.space === undefined ? {} : { spaceId: q.space }),
            ...(q.kind === undefined ? {} : { kind: q.kind }),
            ...(sinceMs === undefined ? {} : { sinceMs }),
          })
          // Site-less alerts (a refused reload, an unwritable store) concern every token.
          .filter((a) => a.siteId === null || seesSite(request, a.siteId));
        return {
          alerts: alerts.map((a) => {
            const zone = zoneOfSiteId(config, a.siteId);
            return {
              key: a.key,
              kind: a.kind,
              siteId: a.siteId,
              spaceId: a.spaceId,
              severity: a.severity,
              message: a.message,
              since: isoIn(a.sinceMs, zone),
              clearedAt: isoOrNull(a.clearedAtMs, zone),
            };
          }),
        };
      },
    );
}
