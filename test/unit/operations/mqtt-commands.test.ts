import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import type {
  CommandEnvelope,
  CommandResponse,
  CommandTarget,
} from '../../../src/domain/commands/envelope.js';
import { done } from '../../../src/domain/commands/envelope.js';
import { signCommand } from '../../../src/domain/commands/signature.js';
import { CommandSequence } from '../../../src/services/operations/command-sequence.js';
import { MqttCommandChannel } from '../../../src/services/operations/mqtt-commands.js';
import { MemoryKeyValueStore } from '../../helpers/fakes/memory-small-stores.js';
import { captureLogger } from '../../helpers/logger.js';
import { FakeBus, START_MS, settle } from '../control/fakes.js';

const SECRET = 'test-command-secret';
let seq = 1_000;
/** A message signed with the channel's secret, with the next sequence number unless one is given. */
const signedMsg = (command: unknown, at = ++seq) => signCommand(SECRET, at, command);

function channel(settings = new MemoryKeyValueStore(), holds?: (target: CommandTarget) => boolean) {
  const clock = new ManualClock(START_MS);
  const bus = new FakeBus(clock);
  const received: CommandEnvelope[] = [];
  const handler = {
    execute: async (c: CommandEnvelope) => {
      received.push(c);
      return done(c, clock.now(), [`did ${c.action}`]);
    },
  };
  const log = captureLogger();
  const ch = new MqttCommandChannel({
    bus,
    clock,
    log,
    handler,
    prefix: 'qw',
    auth: { secret: SECRET, sequence: new CommandSequence(settings) },
    ...(holds ? { holds } : {}),
  });
  const responses = () =>
    bus.published.map((p) => ({
      topic: p.topic,
      options: p.options,
      body: JSON.parse(p.payload) as CommandResponse,
    }));
  return { bus, ch, received, responses, log };
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
    c.bus.deliver('qw/command', signedMsg(envelope()));
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
    c.bus.deliver('qw/command', signedMsg(envelope({ id: 'bad', mode: 'turbo' as 'active' })));
    c.bus.deliver('qw/command/commission', signedMsg(envelope({ id: 'wrong-topic' })));
    await settle();
    expect(c.received).toEqual([]);
    const [bad, wrong] = c.responses();
    expect(bad?.body).toMatchObject({ commandId: 'bad', status: 'refused' });
    expect(bad?.body.reason).toMatch(/^mode: /);
    expect(wrong?.body.reason).toMatch(/action "set-mode" does not belong on the commission topic/);
  });

  it('takes the older release and commission payloads inside a signed message', async () => {
    const c = channel();
    await c.ch.start();
    c.bus.deliver('qw/command/release', signedMsg({ release: false, by: 'bms' }));
    c.bus.deliver('qw/command/commission', signedMsg({ site: 'maple', device: 'lobby-lights' }));
    await settle();
    expect(c.received.map((r) => [r.action, r.issuer, r.target])).toEqual([
      ['resume', 'bms', {}],
      ['commission', 'mqtt', { siteId: 'maple', deviceId: 'lobby-lights' }],
    ]);
    expect(c.received.every((r) => r.id.startsWith('mqtt-'))).toBe(true);
  });

  it('changes nothing for an unsigned, forged or altered command, and answers none of them', async () => {
    const c = channel();
    await c.ch.start();
    const good = JSON.parse(signedMsg(envelope({ id: 'altered' }))) as { signed: string; hmac: string };
    const altered = JSON.stringify({ ...good, signed: good.signed.replace('"active"', '"off"') });
    for (const payload of [
      'release',
      JSON.stringify(envelope({ id: 'unsigned' })),
      signCommand('another-secret', ++seq, envelope({ id: 'forged' })),
      altered,
      JSON.stringify({ signed: good.signed, hmac: 'zz' }),
    ])
      c.bus.deliver('qw/command/release', payload);
    c.bus.deliver('qw/command', altered);
    await settle();
    expect(c.received).toEqual([]);
    expect(c.bus.published).toEqual([]);
    // One warning a minute per topic, carrying the running count.
    const warned = c.log.lines.filter((l) => l.msg === 'command refused: not signed with the command secret');
    expect(warned.map((l) => (l.obj as { topic?: string }).topic)).toEqual([
      'qw/command/release',
      'qw/command',
    ]);
  });

  it('a replayed or older command changes nothing and is answered refused', async () => {
    const c = channel();
    await c.ch.start();
    const first = signedMsg(envelope({ id: 'first' }));
    c.bus.deliver('qw/command', first);
    c.bus.deliver('qw/command', first);
    c.bus.deliver('qw/command', signedMsg(envelope({ id: 'older' }), seq - 10));
    await settle();
    expect(c.received.map((r) => r.id)).toEqual(['first']);
    const refusedOnes = c.responses().filter((r) => r.body.status === 'refused');
    expect(refusedOnes.map((r) => r.body.commandId)).toEqual(['first', 'older']);
    expect(refusedOnes[0]?.body.reason).toMatch(/is not newer than .*changes nothing/);
  });

  it("leaves another instance's command unanswered, its sequence unused, and carries out its own", async () => {
    const c = channel(new MemoryKeyValueStore(), (target) => target.siteId === 'maple');
    await c.ch.start();
    const later = ++seq;
    c.bus.deliver(
      'qw/command',
      signedMsg(envelope({ id: 'theirs', target: { siteId: 'oak', spaceId: 'lobby' } }), later),
    );
    // Older than the command left to the other instance, but newer than any carried out here.
    c.bus.deliver('qw/command', signedMsg(envelope({ id: 'mine' }), later - 1));
    await settle();
    expect(c.received.map((r) => r.id)).toEqual(['mine']);
    expect(c.responses().map((r) => [r.body.commandId, r.body.status])).toEqual([['mine', 'done']]);
  });

  it('keeps the sequence across a restart: a retained release sent while down holds, an old one does not', async () => {
    const settings = new MemoryKeyValueStore();
    const before = channel(settings);
    await before.ch.start();
    const old = signedMsg({ ...envelope({ id: 'old-release' }), action: 'release', target: {} });
    before.bus.deliver('qw/command/release', old);
    await settle();
    expect(before.received.map((r) => r.id)).toEqual(['old-release']);
    await before.ch.stop();

    // A new process: the same store, the broker hands the retained messages over at subscribe.
    const after = channel(settings);
    await after.ch.start();
    after.bus.deliver('qw/command/release', old, true);
    await settle();
    expect(after.received).toEqual([]);
    const whileDown = signedMsg({ ...envelope({ id: 'while-down' }), action: 'release', target: {} });
    after.bus.deliver('qw/command/release', whileDown, true);
    await settle();
    expect(after.received.map((r) => r.id)).toEqual(['while-down']);
  });
});
