import { describe, expect, it } from 'vitest';
import { SetpointPayload } from '../../../src/domain/setpoints/contract.js';
import { LOBBY_SET, LOBBY_STATE, MINUTE, rig, START_MS, settle, testConfig, Z2M_SET } from './fakes.js';

const level = (payload: string) => SetpointPayload.parse(JSON.parse(payload)).value;

describe('ControlService', () => {
  it('shadow mode plans and audits, never publishes; a decision is audited once until it changes', async () => {
    const r = rig({ defaultMode: 'shadow' });
    await r.service.start();
    await r.advance(10 * MINUTE);
    expect(r.bus.published).toEqual([]);
    const rows = r.audit.query({ spaceId: 'lobby', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ mode: 'shadow', publishedAtMs: null, deviceId: 'lobby-lights' });
    expect(
      r.log.lines.find(
        (l) => l.msg?.startsWith('plan ') && (l.obj as { space: string }).space === 'site/lobby',
      )?.obj,
    ).toMatchObject({
      mode: 'shadow',
      shadow: expect.stringContaining('lobby-lights'),
    });
    await r.service.stop();
    expect(r.bus.published).toEqual([]);
  });

  it('off mode publishes nothing at all', async () => {
    const r = rig({ defaultMode: 'off' });
    await r.service.start();
    await r.advance(20 * MINUTE);
    await r.service.stop();
    expect(r.bus.published).toEqual([]);
  });

  it('active: publishes the plan, then nothing until renewal is due, then one renewal; life-safety never', async () => {
    const r = rig();
    await r.service.start();
    await settle();
    const first = r.bus.on(LOBBY_SET);
    expect(first).toHaveLength(1);
    expect(first[0]?.options).toMatchObject({ qos: 1, retain: true });
    const p = SetpointPayload.parse(JSON.parse(first[0]?.payload ?? ''));
    expect(Date.parse(p.validUntil) - START_MS).toBe(30 * MINUTE);
    // Preset commands are never retained.
    expect(r.bus.on(Z2M_SET).every((m) => m.options.retain === false)).toBe(true);
    await r.advance(27 * MINUTE);
    expect(r.bus.on(LOBBY_SET)).toHaveLength(1);
    await r.advance(2 * MINUTE);
    const all = r.bus.on(LOBBY_SET);
    expect(all).toHaveLength(2);
    expect(level(all[1]?.payload ?? '')).toEqual(p.value);
    expect(r.bus.published.some((m) => m.topic.includes('emergency'))).toBe(false);
    await r.service.stop();
  });

  it('logs a plan at info when it sends something, and at debug when every device stays', async () => {
    const r = rig();
    await r.service.start();
    await settle();
    const lobbyPlans = () =>
      r.log.lines.filter(
        (l) => l.msg?.startsWith('plan ') && (l.obj as { space: string }).space === 'site/lobby',
      );
    expect(r.bus.on(LOBBY_SET)).toHaveLength(1);
    expect(lobbyPlans()).toHaveLength(1);
    expect(lobbyPlans()[0]).toMatchObject({ level: 'info', obj: { sent: expect.stringContaining('lobby') } });
    // The next rounds before the renewal change nothing.
    await r.advance(16 * MINUTE);
    expect(r.bus.on(LOBBY_SET)).toHaveLength(1);
    const later = lobbyPlans().slice(1);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((l) => l.level === 'debug' && 'unchanged' in l.obj && !('sent' in l.obj))).toBe(true);
    await r.service.stop();
  });

  it('an occupancy event raises the lights on the same call path, without a tick', async () => {
    const r = rig();
    r.sensors.emit('site', 'lobby', false, START_MS);
    await r.service.start();
    await r.advance(16 * MINUTE); // the 04:15 plan sees the sensor: the lobby dims to its minimum
    expect(level(r.bus.on(LOBBY_SET).pop()?.payload ?? '')).toEqual({ levelPct: 30 });
    const before = r.bus.published.length;
    const at = r.clock.now();
    r.sensors.emit('site', 'lobby', true, at);
    await settle();
    expect(r.clock.now()).toBe(at);
    const raised = r.bus.published.slice(before).filter((m) => m.topic === LOBBY_SET);
    expect(raised.map((m) => level(m.payload))).toEqual([{ levelPct: 80 }]);
    // The next plan does not dim it while presence holds.
    await r.advance(5 * MINUTE);
    expect(
      r.bus
        .on(LOBBY_SET)
        .slice(-1)
        .map((m) => level(m.payload)),
    ).toEqual([{ levelPct: 80 }]);
    await r.service.stop();
  });

  it('an echoed id acknowledges in the audit log; override holds the device and is recorded', async () => {
    const r = rig();
    await r.service.start();
    await settle();
    const p = SetpointPayload.parse(JSON.parse(r.bus.on(LOBBY_SET)[0]?.payload ?? ''));
    r.bus.deliver(LOBBY_STATE, JSON.stringify({ appliedSetpointId: p.id }));
    await settle();
    expect(r.audit.get(p.id)?.acknowledgedAtMs).toBe(START_MS);
    expect(r.service.status().find((s) => s.key === 'site/lobby/lobby-lights')?.ack).toBe('acknowledged');
    r.bus.deliver(LOBBY_STATE, JSON.stringify({ override: true }));
    await settle();
    expect(r.settings.get('control.override.site/lobby/lobby-lights')).toBe(String(START_MS + 120 * MINUTE));
    const before = r.bus.on(LOBBY_SET).length;
    await r.advance(60 * MINUTE);
    expect(r.bus.on(LOBBY_SET)).toHaveLength(before);
    await r.service.stop();
  });

  it('a failed publish leaves the record unchanged and is retried at the next tick', async () => {
    const r = rig();
    r.bus.failing = true;
    await r.service.start();
    await settle();
    expect(r.bus.published).toEqual([]);
    const rows = r.audit.query({ spaceId: 'lobby', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER });
    expect(rows.every((row) => row.publishedAtMs === null)).toBe(true);
    r.bus.failing = false;
    await r.advance(MINUTE);
    expect(r.bus.on(LOBBY_SET)).toHaveLength(1);
    await r.service.stop();
  });

  it('stale meters hand every device back; stop hands back what is outstanding', async () => {
    const r = rig();
    await r.service.start();
    await r.advance(2 * MINUTE);
    r.meters.alive = false;
    const before = r.bus.published.length;
    await r.advance(29 * MINUTE);
    expect(r.bus.published.slice(before).filter((m) => m.topic === LOBBY_SET && m.payload === '')).toEqual(
      [],
    );
    await r.advance(3 * MINUTE);
    expect(
      r.bus.published.slice(before).filter((m) => m.topic === LOBBY_SET && m.payload === ''),
    ).toHaveLength(1);
    // Garage preset: its schedule's value, 100 %.
    expect(
      r.bus.published
        .slice(before)
        .some((m) => m.topic === Z2M_SET && m.payload.includes('"brightness":254')),
    ).toBe(true);
    r.meters.alive = true;
    await r.advance(2 * MINUTE);
    const stopFrom = r.bus.published.length;
    await r.service.stop();
    const atStop = r.bus.published.slice(stopFrom);
    expect(atStop.find((m) => m.topic === LOBBY_SET)).toMatchObject({
      payload: '',
      options: { retain: true },
    });
    expect(atStop.find((m) => m.topic === Z2M_SET)?.payload).toContain('"brightness":254');
  });

  it('a restart with the same audit log and settings publishes nothing until renewal', async () => {
    const a = rig();
    await a.service.start();
    await a.advance(3 * MINUTE);
    const sent = a.bus.published.length;
    expect(sent).toBeGreaterThan(0);
    // A crash: no stop. A new instance continues from the audit log.
    await a.scheduler.stop();
    const b = rig({}, { audit: a.audit, settings: a.settings, clock: a.clock });
    await b.service.start();
    await b.advance(20 * MINUTE);
    expect(b.bus.on(LOBBY_SET)).toEqual([]);
    await b.advance(8 * MINUTE);
    expect(b.bus.on(LOBBY_SET)).toHaveLength(1);
    await b.service.stop();
  });

  it("on a randomized design's schedule day nothing new is commanded and leases run out", async () => {
    const arms: string[] = [];
    const r = rig(
      {},
      {
        deps: {
          dayArm: (_site: string, date: string) => {
            arms.push(date);
            return date === '2026-07-15' ? 'schedule' : 'optimized';
          },
        },
      },
    );
    await r.service.start();
    await r.advance(40 * MINUTE);
    expect(arms).toContain('2026-07-15');
    expect(r.bus.on(LOBBY_SET)).toEqual([]);
    expect(r.log.lines.find((l) => l.msg?.startsWith('plan '))?.obj).toMatchObject({
      day: 'schedule (randomized design)',
    });
    await r.service.stop();
  });

  it('plans from the forecast service when it has a forecast', async () => {
    // Certain presence all day and no reading from the lobby's motion sensor yet: the forecast
    // lights it at its occupied level.
    const hours = Array.from({ length: 48 }, (_, i) => START_MS + i * 3_600_000);
    const r = rig(
      {},
      {
        deps: {
          forecasts: {
            occupancy: () => ({ tsMs: hours, values: hours.map(() => 1) }),
            outdoorTemperature: () => ({ tsMs: hours, values: hours.map(() => 31) }),
          },
        },
      },
    );
    await r.service.start();
    await settle();
    expect(level(r.bus.on(LOBBY_SET)[0]?.payload ?? '')).toEqual({ levelPct: 80 });
    const row = r.audit.query({ spaceId: 'lobby', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER })[0];
    expect(JSON.parse(row?.inputsJson ?? '{}')).toMatchObject({
      occupancySource: 'forecast',
      outdoorC: 31,
      occupancyProbability: 1,
    });
    await r.service.stop();
  });

  it('a config reload that takes a space out of active hands its devices back at once', async () => {
    const r = rig();
    await r.service.start();
    await r.advance(2 * MINUTE);
    expect(r.bus.on(LOBBY_SET).length).toBeGreaterThan(0);
    const before = r.bus.published.length;
    const next = testConfig({ spaces: [{ space: 'lobby', mode: 'off' }] });
    await r.service.reconfigure({
      sites: next.sites,
      schedules: next.schedules,
      control: next.control,
      prefix: 'quietwatt',
    });
    await settle();
    const after = r.bus.published.slice(before);
    expect(after.filter((m) => m.topic === LOBBY_SET)).toEqual([
      { topic: LOBBY_SET, payload: '', options: { qos: 1, retain: true } },
    ]);
    expect(r.service.status().find((d) => d.key === 'site/lobby/lobby-lights')).toMatchObject({
      mode: 'off',
      handedBack: true,
    });
    await r.advance(20 * MINUTE);
    expect(r.bus.published.slice(before).filter((m) => m.topic === LOBBY_SET)).toHaveLength(1);
    await r.service.stop();
  });

  it('a controller that never reports is still served, and shows as open loop', async () => {
    const r = rig();
    await r.service.start();
    await r.advance(3 * MINUTE);
    expect(r.bus.on(LOBBY_SET).length).toBeGreaterThan(0);
    expect(r.service.status().find((d) => d.key === 'site/lobby/lobby-lights')?.ack).toBe('open-loop');
    const line = r.log.lines.find(
      (l) =>
        l.msg === 'controller does not acknowledge' &&
        (l.obj as { device: string }).device === 'site/lobby/lobby-lights',
    );
    expect(line?.obj).toMatchObject({ ack: 'open-loop' });
    // Served all the same: the lease is renewed.
    await r.advance(27 * MINUTE);
    expect(r.bus.on(LOBBY_SET).length).toBeGreaterThan(1);
    await r.service.stop();
  });
});
