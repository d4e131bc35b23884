import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRow, SetpointAuditEntry } from '../../../src/ports/stores.js';
import { bearer, type Harness, NOW_MS, parseCsv, startHarness } from './harness.js';

const SH = 'Asia/Shanghai';
const local = (iso: string, zone = SH) => DateTime.fromISO(iso, { zone }).toMillis();

/** Three local days of hourly ledger rows for the north lobby and one for the south garage. */
function ledgerRows(): LedgerRow[] {
  const rows: LedgerRow[] = [];
  const start = local('2026-06-01T00:00');
  for (let h = 0; h < 72; h++) {
    const hourStartMs = start + h * 3_600_000;
    const baselineKWh = 2 + (h % 5) * 0.25;
    const measuredKWh = baselineKWh * (0.6 + (h % 3) * 0.1);
    rows.push({
      hourStartMs,
      siteId: 'north',
      spaceId: 'lobby',
      endUse: 'lighting',
      baselineKWh,
      measuredKWh,
      avoidedKWh: baselineKWh - measuredKWh,
      cost: (baselineKWh - measuredKWh) * 0.617,
      currency: 'CNY',
      co2Kg: (baselineKWh - measuredKWh) * 0.5703,
      kind: h < 24 ? 'estimated' : 'measured',
      method: 'baseline',
      baselineVersion: 'v1',
    });
  }
  const berlin = local('2026-06-01T00:00', 'Europe/Berlin');
  for (let h = 0; h < 24; h++)
    rows.push({
      hourStartMs: berlin + h * 3_600_000,
      siteId: 'south',
      spaceId: 'garage',
      endUse: 'lighting',
      baselineKWh: 5,
      measuredKWh: 4,
      avoidedKWh: 1,
      cost: 0.3,
      currency: 'EUR',
      co2Kg: 0.4,
      kind: 'measured',
      method: 'randomized',
      baselineVersion: 'design-1',
    });
  return rows;
}

function auditEntries(): SetpointAuditEntry[] {
  const out: SetpointAuditEntry[] = [];
  const start = local('2026-06-01T08:00');
  for (let i = 0; i < 25; i++) {
    // Pairs of entries share a decision time: the id breaks the tie.
    const decidedAtMs = start + Math.floor(i / 2) * 900_000;
    out.push({
      id: `sp-${String(i).padStart(3, '0')}`,
      siteId: 'north',
      spaceId: 'lobby',
      deviceId: i % 2 === 0 ? 'north-lobby-lights' : 'north-lobby-lights-b',
      kind: 'lighting',
      valueJson: JSON.stringify({ levelPct: 40 + i }),
      reason: i === 3 ? 'evening, "dusk" level, 大堂' : 'occupied',
      mode: 'active',
      inputsJson: '{}',
      decidedAtMs,
      validUntilMs: decidedAtMs + 1_800_000,
      planId: `plan-${Math.floor(i / 4)}`,
      publishedAtMs: decidedAtMs + 1_000,
      acknowledgedAtMs: i % 3 === 0 ? null : decidedAtMs + 2_000,
    });
  }
  for (let i = 0; i < 3; i++)
    out.push({
      id: `south-${i}`,
      siteId: 'south',
      spaceId: 'garage',
      deviceId: 'garage-lights',
      kind: 'lighting',
      valueJson: '{"levelPct":30}',
      reason: 'night',
      mode: 'shadow',
      inputsJson: '{}',
      decidedAtMs: start + i * 60_000,
      validUntilMs: start + i * 60_000 + 1_800_000,
      planId: 'p',
      publishedAtMs: null,
      acknowledgedAtMs: null,
    });
  return out;
}

describe('HTTP API routes', () => {
  let h: Harness;
  let headers: Record<string, string>;
  const get = (url: string) => h.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    h = await startHarness();
    headers = bearer(h.tokens.viewer);
    h.storage.stores.ledger.upsertLedger(ledgerRows());
    for (const e of auditEntries()) h.storage.stores.setpointAudit.record(e);
    const towt = {
      format: 'quietwatt.forecast-model',
      version: 1,
      name: 'towt-corrected',
      trainingWindow: { fromMs: local('2026-05-01T00:00'), toMs: local('2026-06-01T00:00') },
      stats: {
        outOfSample: {
          n: 100,
          p: 10,
          meanKWh: 2,
          rmseKWh: 0.3,
          cvRmse: 0.15,
          nmbe: 0.01,
          r2: 0.8,
          meetsG14: true,
        },
      },
    };
    for (let v = 0; v < 2; v++)
      h.storage.stores.models.saveModel({
        siteId: 'north',
        spaceId: 'lobby',
        endUse: 'lighting',
        modelKind: 'forecast',
        createdAtMs: NOW_MS - (2 - v) * 86_400_000,
        json: JSON.stringify({ ...towt, name: v === 0 ? 'seasonal-naive' : 'towt-corrected' }),
      });
    h.storage.stores.models.saveModel({
      siteId: 'south',
      spaceId: 'garage',
      endUse: 'lighting',
      modelKind: 'baseline',
      createdAtMs: NOW_MS,
      json: JSON.stringify({
        format: 'quietwatt.baseline',
        trainStartMs: 0,
        trainEndMs: 86_400_000,
        cvRmseInSample: 0.45,
        unusable: ['the baseline period itself changed level (non-routine)'],
      }),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('GET /livez needs no token', async () => {
    const res = await h.inject({ method: 'GET', url: '/livez' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'alive' });
  });

  it('GET /api/v1/sites lists sites, spaces and where each mode comes from', async () => {
    const res = await get('/api/v1/sites');
    expect(res.statusCode).toBe(200);
    const { sites } = res.json();
    expect(sites.map((s: { id: string }) => s.id)).toEqual(['north', 'south']);
    expect(sites[0].spaces[0]).toMatchObject({
      id: 'lobby',
      name: '大堂 Lobby',
      mode: 'active',
      modeSource: 'operator',
    });
    expect(sites[1].spaces[0]).toMatchObject({ id: 'garage', modeSource: 'config' });
  });

  it('GET /api/v1/sites/:siteId shows live status with times in the site offset', async () => {
    const res = await get('/api/v1/sites/north');
    expect(res.statusCode).toBe(200);
    const site = res.json();
    expect(site.now).toMatch(/\+08:00$/);
    expect(site.release).toEqual({ fireAlarm: false, operator: false });
    const lobby = site.spaces[0];
    expect(lobby.meters[0]).toMatchObject({
      id: 'north-lobby-meter',
      stale: false,
      accepted: 10,
      rejected: 2,
    });
    expect(lobby.meters[0].lastReadingAt).toMatch(/\+08:00$/);
    expect(lobby.sensors[0]).toMatchObject({ id: 'north-lobby-pir', value: 1, stale: false });
    expect(lobby.devices[0]).toMatchObject({
      id: 'north-lobby-lights',
      commissioning: 'passed',
      ack: 'acknowledged',
      setpoint: 'level 40 %',
    });
    expect(Date.parse(lobby.devices[0].overrideUntil)).toBe(NOW_MS + 1_800_000);
    const south = (await get('/api/v1/sites/south')).json();
    expect(south.spaces[0].meters[0].stale).toBe(true);
    expect(south.now).toMatch(/\+02:00$/);
  });

  it('GET a space; unknown site or space is 404', async () => {
    expect((await get('/api/v1/sites/north/spaces/lobby')).json().spaceId).toBe('lobby');
    expect((await get('/api/v1/sites/nowhere')).statusCode).toBe(404);
    expect((await get('/api/v1/sites/north/spaces/nowhere')).statusCode).toBe(404);
    expect((await get('/api/v1/sites/bad%20id')).statusCode).toBe(400);
  });

  it("GET a space's plan: 404 until there is one, then the plan's slots", async () => {
    h.plan = undefined;
    expect((await get('/api/v1/sites/north/spaces/lobby/plan')).statusCode).toBe(404);
    const startMs = local('2026-06-15T12:00');
    h.plan = {
      planId: 'plan-x',
      plan: {
        spaceId: 'lobby',
        createdAtMs: startMs,
        startMs,
        slotMs: 900_000,
        lighting: [
          {
            deviceId: 'north-lobby-lights',
            kind: 'lighting',
            ratedPowerW: 400,
            slots: [
              { levelPct: 40, reason: 'quiet' },
              { levelPct: 80, reason: 'occupied' },
            ],
            changes: [{ slot: 1, tsMs: startMs + 900_000, reason: 'occupied' }],
          },
        ],
        hvac: [],
        hvacMode: null,
        predictedTempC: [],
        comfortMarginK: [],
        hvacEnergyKWh: 0,
        hvacCost: 0,
      },
    };
    const res = await get('/api/v1/sites/north/spaces/lobby/plan');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      planId: 'plan-x',
      slotMinutes: 15,
      slots: ['2026-06-15T12:00:00+08:00', '2026-06-15T12:15:00+08:00'],
      lighting: [
        {
          deviceId: 'north-lobby-lights',
          levelPct: [40, 80],
          changes: [{ at: '2026-06-15T12:15:00+08:00' }],
        },
      ],
    });
  });

  it('GET /api/v1/savings by day sums the ledger rows per period, kind and method', async () => {
    const res = await get('/api/v1/savings?from=2026-06-01&to=2026-06-04&granularity=day&site=north');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.from).toBe('2026-06-01T00:00:00+08:00');
    const rows = ledgerRows().filter((r) => r.siteId === 'north');
    for (let d = 0; d < 3; d++) {
      const dayStart = local('2026-06-01T00:00') + d * 86_400_000;
      const inDay = rows.filter((r) => r.hourStartMs >= dayStart && r.hourStartMs < dayStart + 86_400_000);
      const kind = inDay[0]?.kind;
      const fig = body.figures.find((f: { periodStart: string }) => Date.parse(f.periodStart) === dayStart);
      expect(fig).toMatchObject({ kind, method: 'baseline', hours: 24, currency: 'CNY', siteId: 'north' });
      expect(fig.avoidedKWh).toBeCloseTo(
        inDay.reduce((a, r) => a + r.avoidedKWh, 0),
        9,
      );
    }
    // Measured and estimated stay apart.
    expect(new Set(body.figures.map((f: { kind: string }) => f.kind))).toEqual(
      new Set(['measured', 'estimated']),
    );
  });

  it('GET /api/v1/savings.csv parses back to the JSON figures', async () => {
    for (const granularity of ['hour', 'day', 'month', 'total']) {
      const q = `from=2026-06-01&to=2026-06-04&granularity=${granularity}`;
      const json = (await get(`/api/v1/savings?${q}`)).json();
      const res = await get(`/api/v1/savings.csv?${q}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const [header, ...rows] = parseCsv(res.body);
      expect(header?.slice(0, 3)).toEqual(['period_start', 'period_end', 'site']);
      expect(rows.length).toBe(json.figures.length);
      const col = (name: string) => header?.indexOf(name) ?? -1;
      const key = (start: string, site: string, kind: string) => `${start}|${site}|${kind}`;
      const byKey = new Map(
        rows.map((r) => [key(r[col('period_start')] ?? '', r[col('site')] ?? '', r[col('kind')] ?? ''), r]),
      );
      for (const f of json.figures) {
        const row = byKey.get(key(f.periodStart, f.siteId, f.kind));
        expect(row, `${granularity} ${f.periodStart}`).toBeDefined();
        expect(row?.[col('period_end')]).toBe(f.periodEnd);
        expect(Number(row?.[col('avoided_kwh')])).toBe(f.avoidedKWh);
        expect(Number(row?.[col('cost')])).toBe(f.cost);
        expect(row?.[col('currency')]).toBe(f.currency);
        expect(Number(row?.[col('hours')])).toBe(f.hours);
      }
    }
  });

  it('GET /api/v1/savings with granularity=total answers one period: the whole range', async () => {
    const res = await get('/api/v1/savings?from=2026-05-01&to=2026-07-01&granularity=total&site=north');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.granularity).toBe('total');
    const periods = new Set(body.figures.map((f: { periodStart: string }) => f.periodStart));
    expect([...periods]).toEqual(['2026-05-01T00:00:00+08:00']);
    expect(body.figures[0].periodEnd).toBe('2026-07-01T00:00:00+08:00');
    const measured = body.figures.find((f: { kind: string }) => f.kind === 'measured');
    const rows = ledgerRows().filter((r) => r.siteId === 'north' && r.kind === 'measured');
    expect(measured.avoidedKWh).toBeCloseTo(
      rows.reduce((a, r) => a + r.avoidedKWh, 0),
      9,
    );
    const tooLong = await get('/api/v1/savings?from=2016-01-01&to=2026-07-01&granularity=total');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().message).toContain('"to"');
  });

  it('savings: bad parameters are 400s naming the parameter and the value', async () => {
    const cases: [string, string, string][] = [
      ['from=2026-06-01&to=2026-06-02&granularity=week', 'granularity', '"week"'],
      ['from=yesterday&to=2026-06-02', 'from', '"yesterday"'],
      ['from=2026-06-01', 'to', 'missing'],
      ['from=2026-06-03&to=2026-06-02', 'to', '"2026-06-02"'],
      ['from=2026-06-01&to=2026-06-02&endUse=coffee', 'endUse', '"coffee"'],
      ['from=2026-06-01&to=2026-06-02&site=nowhere', 'site', '"nowhere"'],
      ['from=2026-06-01&to=2026-06-02&space=lobby', 'space', '"lobby"'],
      ['from=2026-01-01&to=2026-06-02&granularity=hour', 'to', '93 days'],
      ['from=2026-06-01&to=2026-06-02&bogus=1', 'bogus', ''],
    ];
    for (const [q, param, value] of cases) {
      const res = await get(`/api/v1/savings?${q}`);
      expect(res.statusCode, q).toBe(400);
      const body = res.json();
      expect(body.code).toBe('QW_HTTP_BAD_QUERY');
      expect(body.message, q).toContain(`"${param}"`);
      expect(body.message, q).toContain(value);
    }
  });

  it('GET /api/v1/comfort passes the range and filters', async () => {
    const res = await get('/api/v1/comfort?from=2026-06-01&to=2026-06-02&site=north&space=lobby');
    expect(res.statusCode).toBe(200);
    expect(res.json().kpis).toEqual([
      { siteId: 'north', spaceId: 'lobby', discomfortKh: 0.5, underLitOccupiedHours: 1, occupiedHours: 24 },
    ]);
    expect((await get('/api/v1/comfort?from=2026-06-01')).statusCode).toBe(400);
  });

  it('GET /api/v1/audit pages through every entry in order, with a cursor', async () => {
    const expected = auditEntries()
      .filter((e) => e.siteId === 'north')
      .sort((a, b) => a.decidedAtMs - b.decidedAtMs || a.id.localeCompare(b.id))
      .map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/audit?from=2026-06-01&to=2026-06-02&site=north&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.entries.length).toBeLessThanOrEqual(4);
      seen.push(...body.entries.map((e: { id: string }) => e.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 4));
    const first = (await get('/api/v1/audit?from=2026-06-01&to=2026-06-02&site=north&limit=1')).json()
      .entries[0];
    expect(first).toMatchObject({
      id: 'sp-000',
      value: { levelPct: 40 },
      mode: 'active',
      acknowledgedAt: null,
    });
    expect(first.decidedAt).toBe('2026-06-01T08:00:00+08:00');
  });

  it('audit filters by device; bad limit, cursor and device-without-space are 400s', async () => {
    const res = await get(
      '/api/v1/audit?from=2026-06-01&to=2026-06-02&site=north&space=lobby&device=north-lobby-lights-b',
    );
    expect(res.json().entries.every((e: { deviceId: string }) => e.deviceId === 'north-lobby-lights-b')).toBe(
      true,
    );
    expect(res.json().entries.length).toBe(12);
    const bad: [string, string][] = [
      ['limit=0', '"limit"'],
      ['limit=501', '"limit"'],
      ['limit=ten', '"ten"'],
      ['cursor=garbage', '"cursor"'],
      ['site=north&device=x', '"device"'],
    ];
    for (const [q, needle] of bad) {
      const r = await get(`/api/v1/audit?from=2026-06-01&to=2026-06-02&${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().message, q).toContain(needle);
    }
  });

  it('GET /api/v1/audit.csv parses back to the JSON entries (quotes, commas, Chinese)', async () => {
    const json = (await get('/api/v1/audit?from=2026-06-01&to=2026-06-02&limit=500')).json();
    const res = await get('/api/v1/audit.csv?from=2026-06-01&to=2026-06-02');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual([
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
    ]);
    expect(rows.length).toBe(json.entries.length);
    json.entries.forEach((e: Record<string, unknown>, i: number) => {
      const r = rows[i] ?? [];
      expect(r[0]).toBe(e.decidedAt);
      expect(r[1]).toBe(e.siteId);
      expect(JSON.parse(r[5] ?? '')).toEqual(e.value);
      expect(r[6]).toBe(e.reason);
      expect(r[11]).toBe(e.acknowledgedAt ?? '');
      expect(r[12]).toBe(e.id);
    });
    expect(rows.some((r) => r[6] === 'evening, "dusk" level, 大堂')).toBe(true);
    expect(rows.filter((r) => r[1] === 'south').every((r) => r[0]?.endsWith('+02:00'))).toBe(true);
  });

  it('GET /api/v1/models shows the latest model per series with its fit statistics', async () => {
    const res = await get('/api/v1/models');
    expect(res.statusCode).toBe(200);
    const { series } = res.json();
    expect(series.length).toBe(2);
    const north = series.find((s: { siteId: string }) => s.siteId === 'north');
    expect(north).toMatchObject({
      version: 2,
      name: 'towt-corrected',
      cvRmse: 0.15,
      nmbe: 0.01,
      guideline14Pass: true,
      sufficient: true,
    });
    const south = series.find((s: { siteId: string }) => s.siteId === 'south');
    expect(south).toMatchObject({
      modelKind: 'baseline',
      cvRmse: 0.45,
      guideline14Pass: false,
      sufficient: false,
    });
    expect(south.nonRoutine).toEqual(['the baseline period itself changed level (non-routine)']);
    expect((await get('/api/v1/models?site=north')).json().series.length).toBe(1);
    expect((await get('/api/v1/models?site=atlantis')).statusCode).toBe(400);
  });

  it('GET /api/v1/alerts: open by default, cleared ones with open=false; bad kind is 400', async () => {
    const open = (await get('/api/v1/alerts')).json().alerts;
    expect(open.map((a: { kind: string }) => a.kind)).toEqual(['stale-meter']);
    expect(open[0].since).toMatch(/\+08:00$/);
    const all = (await get('/api/v1/alerts?open=false')).json().alerts;
    expect(all.length).toBe(2);
    expect(all[1].clearedAt).toMatch(/\+02:00$/);
    const bad = await get('/api/v1/alerts?kind=meteor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('"kind"');
    expect((await get('/api/v1/alerts?open=maybe')).statusCode).toBe(400);
  });

  it('GET /api/v1/config never shows secrets and reports the last refused reload', async () => {
    const res = await get('/api/v1/config');
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).not.toContain('secretpw');
    expect(text).not.toContain('SECRETKEY');
    const body = res.json();
    expect(body.config.sites[0].id).toBe('north');
    expect(body.config.mqtt.url).toBe('mqtt://***@broker.example:1883');
    expect(body.lastRefusedReload).toBeNull();
    h.configState.rejected([{ code: 'QW_CONFIG_INVALID', message: 'sites[0].timezone: bad' }]);
    const after = (await get('/api/v1/config')).json();
    expect(after.lastRefusedReload.errors).toEqual([
      { code: 'QW_CONFIG_INVALID', message: 'sites[0].timezone: bad' },
    ]);
  });
});
