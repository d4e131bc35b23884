import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertSite, requireViewer, seesSite } from '../auth/guard.js';
import type { HttpDeps, PlanView } from '../deps.js';
import { HttpError } from '../errors.js';
import { isoIn } from '../time.js';
import { QueryId, siteById, spaceById } from './query.js';
import { liveSnapshot, siteStatus, siteSummary, spaceStatus } from './status.js';

const SiteParams = z.object({ siteId: QueryId });
const SpaceParams = z.object({ siteId: QueryId, spaceId: QueryId });

function planJson(siteId: string, spaceId: string, view: PlanView, zone: string) {
  const p = view.plan;
  const slots = Math.max(0, ...p.lighting.map((d) => d.slots.length), ...p.hvac.map((d) => d.slots.length));
  const changes = (list: readonly { readonly tsMs: number; readonly reason: string }[]) =>
    list.map((c) => ({ at: isoIn(c.tsMs, zone), reason: c.reason }));
  return {
    siteId,
    spaceId,
    planId: view.planId,
    createdAt: isoIn(p.createdAtMs, zone),
    startAt: isoIn(p.startMs, zone),
    slotMinutes: p.slotMs / 60_000,
    hvacMode: p.hvacMode,
    slots: Array.from({ length: slots }, (_, i) => isoIn(p.startMs + i * p.slotMs, zone)),
    lighting: p.lighting.map((d) => ({
      deviceId: d.deviceId,
      levelPct: d.slots.map((s) => s.levelPct),
      changes: changes(d.changes),
    })),
    hvac: p.hvac.map((d) => ({
      deviceId: d.deviceId,
      mode: d.slots.map((s) => s.mode),
      setpointC: d.slots.map((s) => s.setpointC ?? null),
      phase: d.slots.map((s) => s.phase),
      changes: changes(d.changes),
    })),
    predictedTempC: [...p.predictedTempC],
    hvacEnergyKWh: p.hvacEnergyKWh,
    hvacCost: p.hvacCost,
  };
}

export function sitesRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/sites', { preHandler: requireViewer }, async (request) => {
    const config = deps.config.current();
    return {
      sites: config.sites.filter((s) => seesSite(request, s.id)).map((s) => siteSummary(deps, config, s)),
    };
  });

  r.get(
    '/api/v1/sites/:siteId',
    { preHandler: requireViewer, schema: { params: SiteParams } },
    async (request) => {
      const config = deps.config.current();
      const site = siteById(config, request.params.siteId);
      assertSite(request, site.id);
      return siteStatus(deps, config, site);
    },
  );

  r.get(
    '/api/v1/sites/:siteId/spaces/:spaceId',
    { preHandler: requireViewer, schema: { params: SpaceParams } },
    async (request) => {
      const config = deps.config.current();
      const site = siteById(config, request.params.siteId);
      assertSite(request, site.id);
      const space = spaceById(site, request.params.spaceId);
      return spaceStatus(deps, config, site, space, liveSnapshot(deps));
    },
  );

  r.get(
    '/api/v1/sites/:siteId/spaces/:spaceId/plan',
    { preHandler: requireViewer, schema: { params: SpaceParams } },
    async (request) => {
      const config = deps.config.current();
      const site = siteById(config, request.params.siteId);
      assertSite(request, site.id);
      const space = spaceById(site, request.params.spaceId);
      const view = deps.control.planOf?.(site.id, space.id);
      if (!view)
        throw new HttpError(
          'QW_HTTP_NOT_FOUND',
          `space "${space.id}" has no plan (it is off or not planned yet)`,
        );
      return planJson(site.id, space.id, view, site.timezone);
    },
  );
}
