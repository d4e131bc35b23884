import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Granularity, SavingsFigure, SavingsQuery } from '../../../ports/savings-view.js';
import { requireViewer, seesSite } from '../auth/guard.js';
import { CSV_CONTENT_TYPE, type CsvValue, csvStream } from '../csv.js';
import type { HttpDeps } from '../deps.js';
import { isoIn } from '../time.js';
import {
  QueryEndUse,
  QueryTime,
  SiteSpaceQuery,
  scopedSite,
  timeRange,
  zoneOf,
  zoneOfSiteId,
} from './query.js';

const SavingsParams = z
  .object({
    from: QueryTime,
    to: QueryTime,
    granularity: z.enum(['hour', 'day', 'month', 'total']).default('day'),
    ...SiteSpaceQuery,
    endUse: QueryEndUse.optional(),
  })
  .strict();

/** Longest range per granularity, so one request stays a short read. */
const MAX_DAYS: Record<Granularity, number> = { hour: 93, day: 3 * 366, month: 10 * 366, total: 10 * 366 };
/** CSV exports read this much per page (a local day, month or year); a total is one period, one page. */
const PAGE_UNIT: Record<Exclude<Granularity, 'total'>, 'day' | 'month' | 'year'> = {
  hour: 'day',
  day: 'month',
  month: 'year',
};

export const SAVINGS_CSV_HEADER = [
  'period_start',
  'period_end',
  'site',
  'space',
  'end_use',
  'kind',
  'method',
  'hours',
  'baseline_kwh',
  'actual_kwh',
  'avoided_kwh',
  'avoided_share',
  'cost',
  'currency',
  'co2_kg',
  'interval_low_kwh',
  'interval_high_kwh',
  'interval_confidence',
  'interval_method',
  'provisional',
  'provenance',
  'non_routine',
] as const;

export function figureJson(f: SavingsFigure, zone: string) {
  return {
    periodStart: isoIn(f.periodStartMs, zone),
    periodEnd: isoIn(f.periodEndMs, zone),
    siteId: f.siteId,
    spaceId: f.spaceId ?? null,
    endUse: f.endUse ?? null,
    kind: f.kind,
    method: f.method,
    hours: f.hours,
    baselineKWh: f.baselineKWh,
    actualKWh: f.actualKWh,
    avoidedKWh: f.avoidedKWh,
    avoidedShare: f.avoidedShare,
    cost: f.cost,
    currency: f.currency,
    co2Kg: f.co2Kg,
    interval: f.interval ?? null,
    provisional: f.provisional,
    provenance: [...f.provenance],
    nonRoutine: [...f.nonRoutine],
  };
}

function figureRow(f: SavingsFigure, zone: string): CsvValue[] {
  return [
    isoIn(f.periodStartMs, zone),
    isoIn(f.periodEndMs, zone),
    f.siteId,
    f.spaceId,
    f.endUse,
    f.kind,
    f.method,
    f.hours,
    f.baselineKWh,
    f.actualKWh,
    f.avoidedKWh,
    f.avoidedShare,
    f.cost,
    f.currency,
    f.co2Kg,
    f.interval?.lowKWh,
    f.interval?.highKWh,
    f.interval?.confidence,
    f.interval?.method,
    f.provisional,
    f.provenance.join(';'),
    f.nonRoutine.join(';'),
  ];
}

/** Page boundaries at local day, month or year starts, so no period is cut in two. */
export function pageBounds(
  fromMs: number,
  toMs: number,
  zone: string,
  unit: 'hour' | 'day' | 'month' | 'year',
): number[] {
  const bounds = [fromMs];
  let next = DateTime.fromMillis(fromMs, { zone })
    .startOf(unit)
    .plus({ [unit]: 1 });
  while (next.toMillis() < toMs) {
    bounds.push(next.toMillis());
    next = next.plus({ [unit]: 1 });
  }
  bounds.push(toMs);
  return bounds;
}

export function savingsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const resolve = (request: Parameters<typeof requireViewer>[0], q: z.infer<typeof SavingsParams>) => {
    const config = deps.config.current();
    const site = scopedSite(request, config, q.site, q.space);
    const zone = zoneOf(config, site);
    const range = timeRange(q.from, q.to, zone, MAX_DAYS[q.granularity]);
    const query: SavingsQuery = {
      ...range,
      granularity: q.granularity,
      ...(q.site === undefined ? {} : { siteId: q.site }),
      ...(q.space === undefined ? {} : { spaceId: q.space }),
      ...(q.endUse === undefined ? {} : { endUse: q.endUse }),
    };
    const visible = (f: SavingsFigure) => seesSite(request, f.siteId);
    return { config, zone, query, visible };
  };

  r.get(
    '/api/v1/savings',
    { preHandler: requireViewer, schema: { querystring: SavingsParams } },
    async (request) => {
      const { config, zone, query, visible } = resolve(request, request.query);
      const figures = deps.savings.savings(query).filter(visible);
      return {
        from: isoIn(query.fromMs, zone),
        to: isoIn(query.toMs, zone),
        granularity: query.granularity,
        figures: figures.map((f) => figureJson(f, zoneOfSiteId(config, f.siteId))),
      };
    },
  );

  r.get(
    '/api/v1/savings.csv',
    { preHandler: requireViewer, schema: { querystring: SavingsParams } },
    async (request, reply) => {
      const { config, zone, query, visible } = resolve(request, request.query);
      const bounds =
        query.granularity === 'total'
          ? [query.fromMs, query.toMs]
          : pageBounds(query.fromMs, query.toMs, zone, PAGE_UNIT[query.granularity]);
      function* pages(): Iterable<CsvValue[][]> {
        for (let i = 0; i + 1 < bounds.length; i++) {
          const fromMs = bounds[i] ?? query.fromMs;
          const toMs = bounds[i + 1] ?? query.toMs;
          yield deps.savings
            .savings({ ...query, fromMs, toMs })
            .filter(visible)
            .map((f) => figureRow(f, zoneOfSiteId(config, f.siteId)));
        }
      }
      const name = `quietwatt-savings-${request.query.from}-${request.query.to}.csv`.replace(
        /[^A-Za-z0-9._-]/g,
        '_',
      );
      return reply
        .header('content-type', CSV_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(csvStream(SAVINGS_CSV_HEADER, pages));
    },
  );
}
