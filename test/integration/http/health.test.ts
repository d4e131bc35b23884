import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeReadiness } from '../../../src/adapters/http/readiness.js';
import { DB_FILE_NAME } from '../../../src/adapters/sqlite/storage.js';
import { sqliteWriteProbe } from '../../../src/adapters/sqlite/write-probe.js';
import { bearer, type Harness, NOW_MS, startHarness } from './harness.js';

describe('health and metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('/readyz is 200 while the store takes writes', async () => {
    const res = await h.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ready: true, checks: { store: { ok: true }, mqtt: { ok: true } } });
  });

  it('/readyz is 503 (and /livez still 200) when the store is not writable', async () => {
    const readOnly = new Database(join(h.dir, DB_FILE_NAME), { readonly: true });
    const saved = h.readiness.probe;
    try {
      h.readiness.probe = storeReadiness({ writeProbe: sqliteWriteProbe(readOnly), dir: h.dir });
      const res = await h.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().ready).toBe(false);
      expect(res.json().checks.store.detail).toMatch(/not writable/);
      expect((await h.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    } finally {
      h.readiness.probe = saved;
      readOnly.close();
    }
  });

  it('/readyz is 503 when the disk has less room than the threshold', async () => {
    const saved = h.readiness.probe;
    try {
      h.readiness.probe = storeReadiness({
        writeProbe: () => undefined,
        dir: h.dir,
        minFreeBytes: Number.MAX_SAFE_INTEGER,
      });
      const res = await h.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.store.detail).toMatch(/disk almost full/);
    } finally {
      h.readiness.probe = saved;
    }
  });

  it('/metrics needs a token and reads the services and the store', async () => {
    h.storage.stores.setpointAudit.record({
      id: 'm-1',
      siteId: 'north',
      spaceId: 'lobby',
      deviceId: 'north-lobby-lights',
      kind: 'lighting',
      valueJson: '{}',
      reason: 'r',
      mode: 'active',
      inputsJson: '{}',
      decidedAtMs: NOW_MS - 60_000,
      validUntilMs: NOW_MS + 60_000,
      planId: 'p',
      publishedAtMs: NOW_MS - 59_000,
      acknowledgedAtMs: null,
    });
    h.storage.stores.ledger.upsertLedger([
      {
        hourStartMs: NOW_MS - 3 * 3_600_000,
        siteId: 'north',
        spaceId: 'lobby',
        endUse: 'lighting',
        baselineKWh: 1,
        measuredKWh: 1,
        avoidedKWh: 0,
        cost: 0,
        currency: 'CNY',
        co2Kg: 0,
        kind: 'measured',
        method: 'baseline',
        baselineVersion: 'v',
      },
    ]);
    expect((await h.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const res = await h.inject({ method: 'GET', url: '/metrics', headers: bearer(h.tokens.viewer) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toContain('quietwatt_readings_ingested_total{meter="north-lobby-meter"} 10');
    expect(text).toContain(
      'quietwatt_readings_rejected_total{meter="north-lobby-meter",reason="bad-json"} 2',
    );
    expect(text).toContain('quietwatt_space_readings_ingested_total{site="north",space="lobby"} 10');
    expect(text).toContain(
      'quietwatt_space_readings_rejected_total{site="north",space="lobby",reason="bad-json"} 2',
    );
    expect(text).toContain('quietwatt_meters_stale 1');
    expect(text).toContain('quietwatt_overrides_active 1');
    expect(text).toContain('quietwatt_setpoints_published_total 1');
    expect(text).toContain('quietwatt_setpoints_acknowledged_total 0');
    expect(text).toContain('quietwatt_ledger_lag_seconds 7200');
    expect(text).toContain('quietwatt_alerts_open{severity="warning"} 1');
    expect(text).toMatch(/quietwatt_event_loop_delay_seconds\{quantile="0.99"\} [0-9.e-]+/);
    expect(text).toContain('quietwatt_fit_duration_seconds');
    expect(text).toContain('quietwatt_process_cpu');
  });
});

describe('metrics open', () => {
  it('serves /metrics without a token when http.metrics.open', async () => {
    const h = await startHarness({ metricsOpen: true });
    try {
      expect((await h.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
      expect((await h.inject({ method: 'GET', url: '/api/v1/sites' })).statusCode).toBe(401);
    } finally {
      await h.close();
    }
  });
});
