import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateConfig } from '../../../src/config/parse.js';
import { startService } from '../../../src/main.js';
import { startTestBroker, type TestBroker } from '../../helpers/broker.js';

const dir = mkdtempSync(join(tmpdir(), 'qw-service-http-'));
let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the HTTP API of the running service', () => {
  it('creates first-start tokens, serves status, readiness and metrics, and carries out commands', async () => {
    const { prefix, clientId } = broker.unique('svc-http');
    const raw = parse(readFileSync('config/default.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
    raw.mqtt = { ...raw.mqtt, url: broker.url, clientId, topicPrefix: prefix, protocolVersion: 4 };
    raw.storage = { ...raw.storage, dir: join(dir, 'storage') };
    // A clock that stands still: nothing is planned or sent, the test reads a quiet service.
    raw.clock = { source: 'mqtt', topic: `${prefix}/bench/clock`, start: '2026-07-06T10:00:00+08:00' };
    raw.simulator = { ...raw.simulator, enabled: false };
    raw.http = { port: 0 };
    const validated = validateConfig(raw, 'svc-http.yaml');
    if (!validated.ok) throw new Error(validated.errors.map((e) => e.message).join('\n'));
    const config = validated.config;
    const site = config.sites[0];
    const space = site?.spaces[0];
    if (!site || !space) throw new Error('the demo config has no space');

    const service = await startService({
      config,
      configFile: 'svc-http.yaml',
      rootLogger: pino({ level: 'silent' }),
      env: {},
      watchConfig: false,
    });
    try {
      const url = service.httpUrl;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const tokensFile = join(dir, 'storage', 'tokens.txt');
      expect(statSync(tokensFile).mode & 0o777).toBe(0o600);
      const tokens = Object.fromEntries(
        readFileSync(tokensFile, 'utf8')
          .split('\n')
          .filter((l) => l !== '' && !l.startsWith('#'))
          .map((l) => {
            const [, role, secret] = l.split('\t');
            return [role, secret];
          }),
      ) as Record<string, string>;
      const as = (role: string) => ({ authorization: `Bearer ${tokens[role]}` });

      expect((await fetch(`${url}/livez`)).status).toBe(200);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        ready: true,
        checks: { store: { ok: true }, mqtt: { ok: true } },
      });

      expect((await fetch(`${url}/api/v1/sites/${site.id}`)).status).toBe(401);
      const status = (await (
        await fetch(`${url}/api/v1/sites/${site.id}`, { headers: as('viewer') })
      ).json()) as {
        spaces: { spaceId: string; modeSource: string }[];
      };
      expect(status.spaces.map((s: { spaceId: string }) => s.spaceId)).toEqual(site.spaces.map((s) => s.id));
      expect(status.spaces[0]).toMatchObject({ modeSource: 'config' });

      // The control loop plans every space that is not off when it starts.
      const plan = await fetch(`${url}/api/v1/sites/${site.id}/spaces/${space.id}/plan`, {
        headers: as('viewer'),
      });
      expect(plan.status).toBe(200);
      const planBody = (await plan.json()) as { slots: string[]; startAt: string };
      expect(planBody.slots.length).toBeGreaterThan(0);
      expect(planBody.startAt).toMatch(/\+08:00$/);

      const body = JSON.stringify({
        action: 'set-mode',
        target: { siteId: site.id, spaceId: space.id },
        mode: 'shadow',
      });
      const post = (role: string) =>
        fetch(`${url}/api/v1/commands`, {
          method: 'POST',
          headers: { ...as(role), 'content-type': 'application/json' },
          body,
        });
      expect((await post('viewer')).status).toBe(403);
      const done = await post('operator');
      expect(done.status).toBe(200);
      expect(await done.json()).toMatchObject({ action: 'set-mode', status: 'done' });
      const after = await (
        await fetch(`${url}/api/v1/sites/${site.id}/spaces/${space.id}`, { headers: as('viewer') })
      ).json();
      expect(after).toMatchObject({ mode: 'shadow', modeSource: 'operator' });
      expect(service.recentCommands({ action: 'set-mode' })[0]).toMatchObject({ issuer: 'demo-operator' });

      const savings = await fetch(`${url}/api/v1/savings?from=2026-07-01&to=2026-07-06&site=${site.id}`, {
        headers: as('viewer'),
      });
      expect(savings.status).toBe(200);
      expect(Array.isArray(((await savings.json()) as { figures: unknown }).figures)).toBe(true);

      const metrics = await fetch(`${url}/metrics`, { headers: as('viewer') });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('quietwatt_meters_stale');

      const config = (await (await fetch(`${url}/api/v1/config`, { headers: as('viewer') })).json()) as {
        config: { sites: { id: string }[] };
      };
      expect(config.config.sites[0]?.id).toBe(site.id);
    } finally {
      await service.stop();
    }
  });
});
