import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ModelRecord } from '../../../ports/stores.js';
import { requireViewer, seesSite } from '../auth/guard.js';
import type { HttpDeps } from '../deps.js';
import { isoOrNull } from '../time.js';
import { SiteSpaceQuery, scopedSite, zoneOfSiteId } from './query.js';

const ModelsParams = z.object(SiteSpaceQuery).strict();

const num = z.number().nullable().optional();
const Stats = z.looseObject({
  cvRmse: num,
  nmbe: num,
  r2: num,
  meetsG14: z.boolean().optional(),
  notAssessable: z.string().optional(),
});
/** Forecast model files and baseline records, read for their statistics only. */
const ModelJson = z.looseObject({
  name: z.string().optional(),
  trainingWindow: z.looseObject({ fromMs: z.number(), toMs: z.number() }).optional(),
  trainStartMs: z.number().optional(),
  trainEndMs: z.number().optional(),
  stats: z.looseObject({ inSample: Stats.optional(), outOfSample: Stats.optional() }).optional(),
  cvRmseInSample: num,
  nmbeInSample: num,
  unusable: z.array(z.string()).optional(),
  issues: z.array(z.string()).optional(),
  nonRoutine: z.array(z.string()).optional(),
  params: z.looseObject({ kind: z.string() }).optional(),
});

const finite = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** ASHRAE Guideline 14, hourly data: CV(RMSE) at most 30 %, |NMBE| at most 10 %. */
function g14(cvRmse: number | null, nmbe: number | null): boolean | null {
  if (cvRmse === null) return null;
  return cvRmse <= 0.3 && (nmbe === null || Math.abs(nmbe) <= 0.1);
}

export function modelJson(m: ModelRecord, zone: string) {
  let parsed: z.infer<typeof ModelJson> = {};
  try {
    const r = ModelJson.safeParse(JSON.parse(m.json));
    if (r.success) parsed = r.data;
  } catch {
    // an unreadable record shows as a model without statistics
  }
  const stats = parsed.stats?.outOfSample ?? parsed.stats?.inSample;
  const cvRmse = finite(stats?.cvRmse ?? parsed.cvRmseInSample);
  const nmbe = finite(stats?.nmbe ?? parsed.nmbeInSample);
  const notAssessable = stats?.notAssessable;
  const issues = [
    ...(parsed.issues ?? []),
    ...(parsed.unusable ?? []),
    ...(notAssessable === undefined ? [] : [`not assessable against Guideline 14: ${notAssessable}`]),
  ];
  const isPrior = parsed.params?.kind === 'prior';
  return {
    siteId: m.siteId,
    spaceId: m.spaceId,
    endUse: m.endUse,
    modelKind: m.modelKind,
    version: m.version,
    fittedAt: isoOrNull(m.createdAtMs, zone),
    name: parsed.name ?? parsed.params?.kind ?? m.modelKind,
    cvRmse,
    nmbe,
    r2: finite(stats?.r2),
    // Not assessable is neither a pass nor a fail.
    guideline14Pass: notAssessable === undefined ? (stats?.meetsG14 ?? g14(cvRmse, nmbe)) : null,
    // A prior (cold start) or an unusable baseline means the data were not yet sufficient.
    sufficient: !isPrior && (parsed.unusable ?? []).length === 0,
    issues,
    nonRoutine: parsed.nonRoutine ?? issues.filter((i) => /non-routine/i.test(i)),
    trainingFrom: isoOrNull(parsed.trainingWindow?.fromMs ?? parsed.trainStartMs, zone),
    trainingTo: isoOrNull(parsed.trainingWindow?.toMs ?? parsed.trainEndMs, zone),
  };
}

export function modelsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/v1/models',
      { preHandler: requireViewer, schema: { querystring: ModelsParams } },
      async (request) => {
        const q = request.query;
        const config = deps.config.current();
        scopedSite(request, config, q.site, q.space);
        const all = deps.models.listModels({
          ...(q.site === undefined ? {} : { siteId: q.site }),
          ...(q.space === undefined ? {} : { spaceId: q.space }),
        });
        // Listed by series then version: the last of each series is its latest.
        const latest = new Map<string, ModelRecord>();
        for (const m of all) {
          if (m.modelKind === 'occupancy' || !seesSite(request, m.siteId)) continue;
          latest.set([m.siteId, m.spaceId, m.endUse, m.modelKind].join('/'), m);
        }
        const outdoorForecasts = (deps.outdoorForecast?.status() ?? [])
          .filter((o) => seesSite(request, o.siteId) && (q.site === undefined || o.siteId === q.site))
          .map(({ issuedAtMs, ...o }) => ({
            ...o,
            issuedAt: isoOrNull(issuedAtMs, zoneOfSiteId(config, o.siteId)),
          }));
        return {
          series: [...latest.values()].map((m) => modelJson(m, zoneOfSiteId(config, m.siteId))),
          outdoorForecasts,
        };
      },
    );
}
