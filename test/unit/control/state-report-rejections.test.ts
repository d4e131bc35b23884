import { describe, expect, it } from 'vitest';
import { serviceMetrics } from '../../../src/adapters/http/metrics.js';
import { formatSpace, SpaceStatusJson } from '../../../src/cli/commands/status-format.js';
import { REJECTED_REPORT_LOG_EVERY_MINUTES } from '../../../src/services/control/state-reports.js';
import { metricsSources } from '../../helpers/metrics-sources.js';
import { LOBBY_STATE, MINUTE, rig, settle } from './fakes.js';

const LOBBY = 'site/lobby/lobby-lights';

describe('state reports that break the contract', () => {
  it('are warned about with the reason, rate-limited per device, and counted per device', async () => {
    const r = rig();
    await r.service.start();
    await settle();
    const warnings = () => r.log.lines.filter((l) => l.level === 'warn' && l.msg?.startsWith('state report'));

    r.bus.deliver(LOBBY_STATE, JSON.stringify({ levelPct: 40 }));
    await settle();
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]?.obj).toMatchObject({ device: LOBBY, topic: LOBBY_STATE, rejectedTotal: 1 });
    expect(warnings()[0]?.msg).toContain('levelPct');

    // A flood within the window is counted, not logged.
    for (let i = 0; i < 5; i++) r.bus.deliver(LOBBY_STATE, 'not json');
    await settle();
    expect(warnings()).toHaveLength(1);
    expect(r.service.rejectedStateReports()).toEqual({ [LOBBY]: 6 });

    // After the window, the next one is logged with the count suppressed in between.
    await r.advance(REJECTED_REPORT_LOG_EVERY_MINUTES * MINUTE);
    r.bus.deliver(LOBBY_STATE, 'not json');
    await settle();
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]?.obj).toMatchObject({
      device: LOBBY,
      reason: 'payload is not JSON',
      suppressed: 5,
      rejectedTotal: 7,
    });
    await r.service.stop();
  });

  it('a contract report, or an empty message clearing a retained topic, is no rejection', async () => {
    const r = rig();
    await r.service.start();
    await settle();
    r.bus.deliver(LOBBY_STATE, JSON.stringify({ appliedSetpointId: null }));
    r.bus.deliver(LOBBY_STATE, '', true);
    await settle();
    expect(r.service.rejectedStateReports()).toEqual({});
    expect(r.log.lines.some((l) => l.level === 'warn')).toBe(false);
    await r.service.stop();
  });

  it('the per-device count is a Prometheus counter', async () => {
    const metrics = serviceMetrics(
      metricsSources({
        control: {
          status: () => [],
          releaseState: () => ({ fireAlarm: false, operator: false }),
          rejectedStateReports: () => ({ [LOBBY]: 3 }),
        },
      }),
    );
    try {
      const text = await metrics.registry.metrics();
      expect(text).toContain(`quietwatt_state_reports_rejected_total{device="${LOBBY}"} 3`);
    } finally {
      metrics.stop();
    }
  });

  it('quietwatt status shows the count beside the device acknowledgement', () => {
    const device = {
      id: 'lobby-lights',
      kind: 'lighting',
      commissioning: 'passed',
      ack: 'unacknowledged',
      handedBack: false,
      setpoint: 'level 40 %',
      leaseUntil: null,
      overrideUntil: null,
    };
    const space = (extra: object) =>
      SpaceStatusJson.parse({
        spaceId: 'lobby',
        type: 'lobby',
        mode: 'active',
        modeSource: 'config',
        devices: [{ ...device, ...extra }],
      });
    expect(formatSpace('Site', space({ rejectedReports: 7 })).join('\n')).toContain(
      'lobby-lights (lighting): level 40 %, ack unacknowledged, commissioning passed, 7 state report(s) REJECTED',
    );
    // An older service's answer has no count: nothing is said.
    expect(formatSpace('Site', space({})).join('\n')).not.toContain('REJECTED');
  });
});
