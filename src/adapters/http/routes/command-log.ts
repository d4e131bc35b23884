import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COMMAND_ACTIONS } from '../../../domain/commands/envelope.js';
import type { CommandLogEntry, CommandLogQuery } from '../../../ports/command-log.js';
import { requireViewer } from '../auth/guard.js';
import type { HttpDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import { isoIn, parseQueryTime } from '../time.js';
import { QueryLimit, QueryTime, SiteSpaceQuery, scopedSite, zoneOf, zoneOfSiteId } from './query.js';

const CommandLogParams = z
  .object({
    ...SiteSpaceQuery,
    action: z.enum(COMMAND_ACTIONS).optional(),
    since: QueryTime.optional(),
    limit: QueryLimit(500, 100),
    // The id of the last entry of the previous page.
    cursor: z.coerce.number().int().min(1).optional(),
  })
  .strict();

export function commandJson(e: CommandLogEntry, zone: string) {
  const t = e.command.target;
  return {
    id: e.id,
    action: e.command.action,
    target: { siteId: t.siteId ?? null, spaceId: t.spaceId ?? null, deviceId: t.deviceId ?? null },
    mode: e.command.mode ?? null,
    issuer: e.issuer,
    status: e.status,
    reason: e.reason,
    details: e.details,
    receivedAt: isoIn(e.answeredAtMs, zone),
  };
}

/** The site a query reads: the one named, else the only site of a scoped token (as the audit does). */
function siteOf(request: FastifyRequest, named: string | undefined): string | undefined {
  if (named !== undefined) return named;
  const identity = request.identity;
  if (!identity || identity.sites === null) return undefined;
  if (identity.sites.length === 1) return identity.sites[0];
  throw new HttpError(
    'QW_HTTP_BAD_QUERY',
    `query parameter "site": token "${identity.name}" is scoped; name a site`,
  );
}

export function commandLogRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/v1/commands',
      { preHandler: requireViewer, schema: { querystring: CommandLogParams } },
      async (request) => {
        const q = request.query;
        const config = deps.config.current();
        const site = scopedSite(request, config, q.site, q.space);
        const siteId = siteOf(request, q.site);
        const sinceMs = q.since === undefined ? undefined : parseQueryTime(q.since, zoneOf(config, site));
        const query: CommandLogQuery = {
          // Release and resume name no site but concern every one: a site's log shows them too.
          ...(siteId === undefined ? {} : { siteId, withServiceWide: true }),
          ...(q.space === undefined ? {} : { spaceId: q.space }),
          ...(q.action === undefined ? {} : { action: q.action }),
          ...(sinceMs === undefined ? {} : { sinceMs }),
          ...(q.cursor === undefined ? {} : { beforeId: q.cursor }),
          // One extra entry says whether another page follows.
          limit: q.limit + 1,
        };
        const rows = deps.commandLog.recent(query);
        const page = rows.slice(0, q.limit);
        const last = page[page.length - 1];
        return {
          commands: page.map((e) => commandJson(e, zoneOfSiteId(config, e.command.target.siteId ?? siteId))),
          nextCursor: rows.length > q.limit && last ? last.id : null,
        };
      },
    );
}
