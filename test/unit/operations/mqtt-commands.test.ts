import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import type { CommandEnvelope, CommandResponse } from '../../../src/domain/commands/envelope.js';
import { done } from '../../../src/domain/commands/envelope.js';
import { MqttCommandChannel } from '../../../src/services/operations/mqtt-commands.js';
import { captureLogger } from '../../helpers/logger.js';
import { FakeBus, START_MS, settle } from '../control/fakes.js';

function channel() {
  const clock = new ManualClock(START_MS);
  const bus = new FakeBus(clock);
  const received: CommandEnvelope[] = [];
  const handler = {
    execute: async (c: CommandEnvelope) => {
      received.push(c);
      return done(c, clock.now(), [`did ${c.action}`]);
    },
  };
  const ch = new MqttCommandChannel({ bus, clock, log: captureLogger(), handler, prefix: 'qw' });
  const responses = () =>
    bus.published.map((p) => ({
      topic: p.topic,
      options: p.options,
      body: JSON.parse(p.payload) as CommandResponse,
    }));
  return { bus, ch, received, responses };
}

const envelope = (over: Partial<CommandEnvelope> = {}) => ({
  id: 'c/1',
  action: 'set-mode',
  target: { siteId: 'maple', spaceId: 'lobby' },
  mode: 'active',
  issuer: 'ops',
  issuedAt: '2026-07-15T12:00:00+08:00',
  ...over,
});

describe('MQTT command topics', () => {
  it('runs an envelope through the handler and answers on the response topic, QoS 1, not retained', async () => {
    const c = channel();
    await c.ch.start();
    c.bus.deliver('qw/command', JSON.stringify(envelope()));
    await settle();
    expect(c.received.map((r) => r.id)).toEqual(['c/1']);
    expect(c.responses()).toEqual([
      {
        topic: 'qw/command/response/c%2F1',
        options: { qos: 1, retain: false, messageExpirySeconds: 300 },
        body: expect.objectContaining({ commandId: 'c/1', status: 'done', details: ['did set-mode'] }),
      },
    ]);
  });

  it('refuses an invalid envelope that has an id, naming the field; an action off its topic too', async () => {
    const c = channel();
    await c.ch.start();
    c.bus.deliver('qw/command', JSON.stringify(envelope({ id: 'bad', mode: 'turbo' as 'active' })));
    c.bus.deliver('qw/command/commission', JSON.stringify(envelope({ id: 'wrong-topic' })));
    await settle();
    expect(c.received).toEqual([]);
    const [bad, wrong] = c.responses();
    expect(bad?.body).toMatchObject({ commandId: 'bad', status: 'refused' });
    expect(bad?.body.reason).toMatch(/^mode: /);
    expect(wrong?.body.reason).toMatch(/action "set-mode" does not belong on the commission topic/);
  });

  it('still takes the older release and commission payloads, and ignores retained commands', async () => {
    const c = channel();
    await c.ch.start();
    c.bus.deliver('qw/command/release', 'release', true);
    c.bus.deliver('qw/command/release', JSON.stringify({ release: false, by: 'bms' }));
    c.bus.deliver('qw/command/commission', JSON.stringify({ site: 'maple', device: 'lobby-lights' }));
    await settle();
    expect(c.received.map((r) => [r.action, r.issuer, r.target])).toEqual([
      ['resume', 'bms', {}],
      ['commission', 'mqtt', { siteId: 'maple', deviceId: 'lobby-lights' }],
    ]);
    expect(c.received.every((r) => r.id.startsWith('mqtt-'))).toBe(true);
  });
});
