import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireViewer, seesSite } from '../auth/guard.js';
import type { HttpDeps } from '../deps.js';
import { isoIn } from '../time.js';
import { QueryTime, SiteSpaceQuery, scopedSite, timeRange, zoneOf } from './query.js';

const ComfortParams = z.object({ from: QueryTime, to: QueryTime, ...SiteSpaceQuery }).strict();

export function comfortRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/v1/comfort',
      { preHandler: requireViewer, schema: { querystring: ComfortParams } },
      async (request) => {
        const q = request.query;
        const config = deps.config.current();
        const site = scopedSite(request, config, q.site, q.space);
        const zone = zoneOf(config, site);
        const { fromMs, toMs } = timeRange(q.from, q.to, zone, 10 * 366);
        const kpis = deps.comfort
          .comfort({
            fromMs,
            toMs,
            ...(q.site === undefined ? {} : { siteId: q.site }),
            ...(q.space === undefined ? {} : { spaceId: q.space }),
          })
          .filter((k) => seesSite(request, k.siteId));
        return { from: isoIn(fromMs, zone), to: isoIn(toMs, zone), kpis };
      },
    );
}
