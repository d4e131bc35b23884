import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seen, TOKEN, webApp } from './stub-api.js';

let app: FastifyInstance;
let base: string;

/** The report page and the static dashboard over real HTTP, in front of a stand-in for /api/v1. */
beforeAll(async () => {
  app = await webApp();
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
    expect(html).toContain('Mode set by an operator');
    expect(html).toContain('set-mode shadow by demo-operator: done');
    // A release names no site but concerns every one, so the community's report lists it.
    expect(html).toContain('Every device released');
    expect(html).toContain('release by demo-operator: done');
    expect(html).not.toContain('reset-mode');
    expect(html).toContain('New verification period (planner or its settings changed)');
    expect(html).toContain('<td>2026-06-25 00:00</td>');
    // Only alerts are open or cleared; other events have no such state.
    expect(html).toContain('maple-court:v2:2026-06-25</div></td><td></td><td></td></tr>');
    expect(html).toContain('cleared 2026-06-22 11:00');
    expect(html).not.toContain('<td>2026-03-02 00:00</td>');
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
