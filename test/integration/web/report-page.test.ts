import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWeb } from '../../../src/adapters/http/web/register.js';

/**
 * The report page and the static dashboard over real HTTP, in front of a stand-in for the /api/v1
 * routes that answers in the documented shapes (docs/http-api.md) and records what it was asked.
 */
const TOKEN = 'qw_test_viewer';
const seen: { url: string; auth: string | undefined }[] = [];
let app: FastifyInstance;
let base: string;

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

function stubApi(api: FastifyInstance): void {
  const guard = (request: FastifyRequest) => {
    seen.push({ url: request.url, auth: request.headers.authorization });
    return request.headers.authorization === `Bearer ${TOKEN}`;
  };
  const unauth = { statusCode: 401, code: 'QW_HTTP_UNAUTHENTICATED', message: 'sign in' };
  api.get('/api/v1/sites/:siteId', async (request, reply) => {
    if (!guard(request)) return reply.code(401).send(unauth);
    const { siteId } = request.params as { siteId: string };
    if (siteId !== 'maple-court') return reply.code(403).send({ statusCode: 403, message: 'outside scope' });
    return {
      id: 'maple-court',
      name: 'Maple <Court>',
      timeZone: 'Asia/Shanghai',
      currency: 'CNY',
      now: '2026-07-02T10:00:00+08:00',
      spaces: [
        { spaceId: 'lobby', name: 'Lobby', type: 'lobby', mode: 'active', modeSource: 'config' },
        { spaceId: 'gym', name: 'Gym', type: 'gym', mode: 'shadow', modeSource: 'operator' },
      ],
    };
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
    if (q.space === 'gym')
      return {
        figures: [
          figure({ spaceId: 'gym', endUse: 'lighting', kind: 'estimated', avoidedKWh: 40, baselineKWh: 100 }),
        ],
      };
    if (q.space === 'lobby') return { figures: [figure({ spaceId: 'lobby', endUse: 'total' })] };
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
        figure({}),
        figure({
          kind: 'estimated',
          method: 'baseline',
          avoidedKWh: 40,
          nonRoutine: ['gym <b>refit</b> on 06-25'],
        }),
      ],
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

beforeAll(async () => {
  app = Fastify({ logger: false });
  stubApi(app);
  await registerWeb(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await app.close();
});

/** The bytes as they travel (fetch would decompress them). */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; encoding: string | undefined; body: Buffer }>((resolve, reject) => {
    httpGet(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'],
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
const auth = { authorization: `Bearer ${TOKEN}` };

describe('GET /report/:siteId/:month', () => {
  it('answers 401 without credentials and 403 for a site outside the token, as the API does', async () => {
    expect((await get('/report/maple-court/2026-06')).status).toBe(401);
    expect((await get('/report/elm-park/2026-06', auth)).status).toBe(403);
  });

  it('names the bad parameter and its value in a 400', async () => {
    const month = await get('/report/maple-court/2026-13', auth);
    expect(month.status).toBe(400);
    expect(await month.text()).toContain('path parameter &quot;month&quot;');
    const lang = await get('/report/maple-court/2026-06?lang=fr', auth);
    expect(lang.status).toBe(400);
    expect(await lang.text()).toMatch(/query parameter &quot;lang&quot;.*fr/);
  });

  it('covers the month from the meter-reading day and forwards the caller’s token', async () => {
    seen.length = 0;
    const res = await get('/report/maple-court/2026-06', auth);
    expect(res.status).toBe(200);
    const savings = seen.filter((s) => s.url.startsWith('/api/v1/savings'));
    expect(savings.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.auth).toBe(`Bearer ${TOKEN}`);
    const q = new URLSearchParams(savings[0]?.url.split('?')[1]);
    expect(q.get('from')).toBe('2026-06-20T00:00:00+08:00');
    expect(q.get('to')).toBe('2026-07-20T00:00:00+08:00');
    expect(q.get('site')).toBe('maple-court');
  });

  it('prints the figures, kgce with its factor, the grid factor with source and year, events and an SVG chart', async () => {
    const html = await (await get('/report/maple-court/2026-06?lang=en', auth)).text();
    expect(html).toContain('Maple &lt;Court&gt;');
    expect(html).not.toContain('<Court>');
    expect(html).toContain('data-avoided-kwh="250"');
    expect(html).toContain('measured by randomized on/off days, 90% interval ±50 kWh');
    expect(html).toContain(`${(250 * 0.1229).toFixed(1)} kgce`);
    expect(html).toContain('0.1229 kgce/kWh (GB/T 2589-2020');
    expect(html).toContain('0.5703 kg CO₂/kWh, East China grid, MEE 2023 notice, 2023');
    expect(html).toContain('2026-06-20 – 2026-07-20');
    // Flagged figures show the flag, escaped, not numbers.
    expect(html).toContain('gym &lt;b&gt;refit&lt;/b&gt; on 06-25');
    expect(html).not.toContain('data-avoided-kwh="40"');
    expect(html).toContain('a resident took over lobby-ac');
    expect(html).not.toContain('after the period');
    expect(html).toMatch(/<svg class="chart"[^>]*>.*<polyline points="[\d., ]+" class="baseline"\/>/s);
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('1.3'); // discomfort K·h of the lobby, rounded to one digit
  });

  it('is in Chinese with lang=zh', async () => {
    const html = await (await get('/report/maple-court/2026-06?lang=zh', auth)).text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('月度节能报告');
    expect(html).toContain('随机开关日对比实测');
    expect(html).toContain('电网排放因子');
    expect(html).toContain('每月 20 日抄表');
  });
});

describe('the dashboard’s files', () => {
  const FIRST_LOAD = [
    '/',
    '/web/app.css',
    '/vendor/uplot/uPlot.min.css',
    '/vendor/uplot/uPlot.iife.min.js',
    '/web/js/main.js',
    '/web/js/api.js',
    '/web/js/dom.js',
    '/web/js/i18n.js',
    '/web/js/lang/en.js',
    '/web/js/lang/zh.js',
    '/web/js/format.js',
    '/web/js/periods.js',
    '/web/js/savings.js',
    '/web/js/views/portfolio.js',
    '/web/js/views/signin.js',
    '/web/js/views/site.js',
    '/web/js/views/space.js',
    '/web/js/views/alerts.js',
    '/web/js/views/actions.js',
    '/web/js/views/chart.js',
    '/web/js/views/figure-card.js',
  ];

  it('serves uPlot exactly as the package ships it', async () => {
    const res = await get('/vendor/uplot/uPlot.iife.min.js', { 'accept-encoding': 'identity' });
    expect(res.status).toBe(200);
    expect(
      Buffer.from(await res.arrayBuffer()).equals(readFileSync('node_modules/uplot/dist/uPlot.iife.min.js')),
    ).toBe(true);
  });

  it('compresses, and the first load transfers under 1 MB', async () => {
    let total = 0;
    for (const path of FIRST_LOAD) {
      const res = await rawGet(path, { 'accept-encoding': 'br' });
      expect(res.status, path).toBe(200);
      const body = res.body;
      if (body.length > 1024) {
        expect(res.encoding, path).toBe('br');
        expect(brotliDecompressSync(body).length).toBeGreaterThan(body.length);
      }
      total += body.length;
    }
    expect(total).toBeGreaterThan(10_000);
    expect(total).toBeLessThan(1_000_000);
  });

  it('every module the page imports is in the first-load list', async () => {
    const listed = new Set(FIRST_LOAD);
    for (const path of FIRST_LOAD.filter((p) => p.endsWith('.js') && p.startsWith('/web/'))) {
      const text = await (await get(path)).text();
      for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const resolved = new URL(m[1] ?? '', `http://x${path}`).pathname;
        expect(listed.has(resolved), `${path} imports ${resolved}`).toBe(true);
      }
    }
  });
});
