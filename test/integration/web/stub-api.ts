import { constants as zlibConstants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { registerWeb } from '../../../src/adapters/http/web/register.js';

/**
 * A stand-in for the /api/v1 routes that answers in the documented shapes (docs/http-api.md), checks
 * a bearer token, and records what it was asked.
 */
const LOBBY = {
  spaceId: 'lobby',
  name: 'Lobby',
  type: 'lobby',
  mode: 'active',
  modeSource: 'config',
  meters: [
    {
      id: 'lobby-meter',
      endUse: 'lighting',
      lastReadingAt: '2026-07-02T09:59:00+08:00',
      stale: false,
      accepted: 10,
      rejected: 0,
    },
  ],
  sensors: [
    { id: 'lobby-pir', kind: 'occupancy', value: 1, lastReadingAt: '2026-07-02T09:58:00+08:00', stale: true },
  ],
  devices: [
    {
      id: 'lobby-lights',
      kind: 'lighting',
      commissioning: 'passed',
      ack: 'acknowledged',
      handedBack: false,
      setpoint: 'level 40 %',
      leaseUntil: '2026-07-02T10:15:00+08:00',
      overrideUntil: '2026-07-02T11:00:00+08:00',
    },
  ],
};

export const TOKEN = 'qw_test_viewer';
export const seen: { url: string; auth: string | undefined }[] = [];

const figure = (over: Record<string, unknown>) => ({
  periodStart: '2026-06-20T00:00:00+08:00',
  periodEnd: '2026-07-20T00:00:00+08:00',
  siteId: 'maple-court',
  spaceId: null,
  endUse: null,
  kind: 'measured',
  method: 'randomized',
  hours: 720,
  baselineKWh: 1000,
  actualKWh: 750,
  avoidedKWh: 250,
  avoidedShare: 0.25,
  cost: 155.5,
  currency: 'CNY',
  co2Kg: 145,
  interval: { lowKWh: 200, highKWh: 300, confidence: 0.9, method: 'randomized-t' },
  provisional: true,
  provenance: ['design-2026-05'],
  nonRoutine: [],
  ...over,
});

export interface StubOptions {
  /** A second community, Elm Park, whose month is flagged non-routine. */
  readonly twoSites?: boolean;
}

const ELM = {
  id: 'elm-park',
  name: 'Elm Park',
  release: { fireAlarm: false, operator: false },
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
  now: '2026-07-02T10:00:00+08:00',
  spaces: [],
};

export function stubApi(api: FastifyInstance, options: StubOptions = {}): void {
  const guard = (request: FastifyRequest) => {
    seen.push({ url: request.url, auth: request.headers.authorization });
    return (
      request.headers.authorization === `Bearer ${TOKEN}` ||
      /(^|; )qw_session=stub/.test(request.headers.cookie ?? '')
    );
  };
  const unauth = { statusCode: 401, code: 'QW_HTTP_UNAUTHENTICATED', message: 'sign in' };
  const identity = {
    name: 'stub-viewer',
    role: 'viewer',
    sites: null,
    csrfToken: 'csrf-stub',
    expiresAt: null,
  };
  api.post('/api/v1/session', async (request, reply) => {
    if ((request.body as { token?: string } | undefined)?.token !== TOKEN)
      return reply.code(401).send(unauth);
    return reply.header('set-cookie', 'qw_session=stub; Path=/; HttpOnly; SameSite=Strict').send(identity);
  });
  api.get('/api/v1/session', async (request, reply) =>
    guard(request) ? identity : reply.code(401).send(unauth),
  );
  api.get('/api/v1/sites/:siteId', async (request, reply) => {
    if (!guard(request)) return reply.code(401).send(unauth);
    const { siteId } = request.params as { siteId: string };
    if (options.twoSites && siteId === 'elm-park') return ELM;
    if (siteId !== 'maple-court') return reply.code(403).send({ statusCode: 403, message: 'outside scope' });
    return {
      id: 'maple-court',
      name: 'Maple <Court>',
      release: { fireAlarm: false, operator: false },
      timeZone: 'Asia/Shanghai',
      currency: 'CNY',
      now: '2026-07-02T10:00:00+08:00',
      spaces: [
        LOBBY,
        {
          spaceId: 'gym',
          name: 'Gym',
          type: 'gym',
          mode: 'shadow',
          modeSource: 'operator',
          meters: [],
          sensors: [],
          devices: [],
        },
      ],
    };
  });
  api.get('/api/v1/sites', async (request, reply) => {
    if (!guard(request)) return reply.code(401).send(unauth);
    return {
      sites: [
        { id: 'maple-court', name: 'Maple <Court>', timeZone: 'Asia/Shanghai', currency: 'CNY', spaces: [] },
        ...(options.twoSites ? [ELM] : []),
      ],
    };
  });
  api.get('/api/v1/sites/:siteId/spaces/:spaceId', async (request, reply) => {
    if (!guard(request)) return reply.code(401).send(unauth);
    const { spaceId } = request.params as { spaceId: string };
    if (spaceId !== 'lobby')
      return reply.code(404).send({ statusCode: 404, message: `unknown space ${spaceId}` });
    return { siteId: 'maple-court', ...LOBBY };
  });
  api.get('/api/v1/config', async (request, reply) => {
    if (!guard(request)) return reply.code(401).send(unauth);
    return {
      config: {
        sites: [{ id: 'maple-court', meterReadingDay: 20 }],
        tariffs: {
          emissionFactors: [
            {
              id: 'east',
              region: 'East China grid',
              kgCo2PerKWh: 0.5703,
              year: 2023,
              source: 'MEE 2023 notice',
            },
          ],
          defaultEmissionFactor: 'cn-national-grid-2022',
          siteEmissionFactors: { 'maple-court': 'east' },
        },
      },
    };
  });
  api.get('/api/v1/savings', async (request, reply) => {
    if (!guard(request)) return reply.code(401).send(unauth);
    const q = request.query as Record<string, string>;
    if (q.site === 'elm-park')
      return { figures: [figure({ siteId: 'elm-park', nonRoutine: ['main meter replaced on 06-03'] })] };
    if (q.space === 'gym')
      return {
        figures: [
          figure({ spaceId: 'gym', endUse: 'lighting', kind: 'estimated', avoidedKWh: 40, baselineKWh: 100 }),
        ],
      };
    if (q.space === 'lobby') return { figures: [figure({ spaceId: 'lobby', endUse: 'total' })] };
    // "Saved to date": one period over the whole range, with the interval computed over it.
    if (q.granularity === 'total')
      return {
        figures: [
          figure({
            periodStart: `${q.from}T00:00:00+08:00`,
            periodEnd: `${q.to}T00:00:00+08:00`,
            hours: 2880,
            baselineKWh: 3600,
            actualKWh: 2700,
            avoidedKWh: 900,
            interval: { lowKWh: 780, highKWh: 1020, confidence: 0.9, method: 'randomized-t' },
          }),
        ],
      };
    if (q.granularity === 'day')
      return {
        figures: [0, 1, 2].map((d) =>
          figure({
            periodStart: `2026-06-${20 + d}T00:00:00+08:00`,
            periodEnd: `2026-06-${21 + d}T00:00:00+08:00`,
            baselineKWh: 30 + d,
            actualKWh: 20 + d,
          }),
        ),
      };
    return {
      figures: [
        figure({ provenance: ['maple-court:v2:2026-06-25', 'maple-court:v1:2026-03-02'] }),
        figure({
          kind: 'estimated',
          method: 'baseline',
          avoidedKWh: 40,
          nonRoutine: ['gym <b>refit</b> on 06-25'],
        }),
        // As the service answers: each space's own figures come with the community's.
        figure({ spaceId: 'lobby', avoidedKWh: 250 }),
        figure({ spaceId: 'gym', kind: 'estimated', method: 'baseline', avoidedKWh: 40, baselineKWh: 100 }),
      ],
    };
  });
  api.get('/api/v1/commands', async (request, reply) => {
    if (!guard(request)) return reply.code(401).send(unauth);
    // As the service answers: newest first, service-wide ones (no site) with the site's.
    const command = (id: number, action: string, receivedAt: string, siteWide = false) => ({
      id,
      action,
      target: siteWide
        ? { siteId: null, spaceId: null, deviceId: null }
        : { siteId: 'maple-court', spaceId: 'gym', deviceId: null },
      mode: siteWide ? null : 'shadow',
      issuer: 'demo-operator',
      status: 'done',
      reason: null,
      details: [],
      receivedAt,
    });
    return {
      commands: [
        command(3, 'reset-mode', '2026-07-25T10:00:00+08:00'),
        command(2, 'release', '2026-06-28T09:30:00+08:00', true),
        command(1, 'set-mode', '2026-06-23T10:00:00+08:00'),
      ],
      nextCursor: null,
    };
  });
  api.get('/api/v1/comfort', async (request, reply) => {
    if (!guard(request)) return reply.code(401).send(unauth);
    return {
      kpis: [
        {
          siteId: 'maple-court',
          spaceId: 'lobby',
          discomfortKh: 1.25,
          underLitOccupiedHours: 2,
          occupiedHours: 300,
        },
      ],
    };
  });
  api.get('/api/v1/alerts', async (request, reply) => {
    if (!guard(request)) return reply.code(401).send(unauth);
    return {
      alerts: [
        {
          key: 'override:maple-court:lobby:ac',
          kind: 'override',
          siteId: 'maple-court',
          spaceId: 'lobby',
          severity: 'info',
          message: 'a resident took over lobby-ac',
          since: '2026-06-22T09:00:00+08:00',
          clearedAt: '2026-06-22T11:00:00+08:00',
        },
        {
          key: 'stale-meter:maple-court:gym:m',
          kind: 'stale-meter',
          siteId: 'maple-court',
          spaceId: 'gym',
          severity: 'warning',
          message: 'after the period',
          since: '2026-07-21T09:00:00+08:00',
          clearedAt: null,
        },
      ],
    };
  });
}

/** The stand-in API with the dashboard and report registered, compressed as the service's server does. */
export async function webApp(options: StubOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(fastifyCompress, {
    global: true,
    encodings: ['br', 'gzip', 'deflate'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  stubApi(app, options);
  await registerWeb(app);
  return app;
}
