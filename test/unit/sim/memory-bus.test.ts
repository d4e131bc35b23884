import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { MemoryBus } from '../../../src/adapters/memory-bus/memory-bus.js';
import type { InboundMessage } from '../../../src/ports/message-bus.js';

const text = (m: InboundMessage) => new TextDecoder().decode(m.payload);

describe('MemoryBus', () => {
  it('matches + and # filters and stamps messages with the clock', async () => {
    const clock = new ManualClock(1000);
    const bus = new MemoryBus(clock);
    const got: string[] = [];
    await bus.subscribe(['a/+/c', 'x/#'], (m) => got.push(`${m.topic}=${text(m)}@${m.receivedAtMs}`));
    await bus.publish('a/b/c', '1');
    await bus.publish('a/b/d', '2');
    clock.set(2000);
    await bus.publish('x/y/z', '3');
    await bus.publish('$SYS/x', '4');
    expect(got).toEqual(['a/b/c=1@1000', 'x/y/z=3@2000']);
  });

  it('delivers retained messages to later subscribers; an empty retained payload clears them', async () => {
    const bus = new MemoryBus(new ManualClock(0));
    await bus.publish('s/1', 'on', { retain: true });
    await bus.publish('s/2', 'x', { retain: true });
    await bus.publish('s/2', '', { retain: true });
    const got: string[] = [];
    await bus.subscribe(['s/#'], (m) => got.push(`${m.topic}=${text(m)}:${m.retained}`));
    expect(got).toEqual(['s/1=on:true']);
    expect(bus.retained('s/2')).toBeUndefined();
  });

  it('keeps publish order even when a handler publishes while being called', async () => {
    const bus = new MemoryBus(new ManualClock(0));
    const order: string[] = [];
    await bus.subscribe(['in'], (m) => {
      order.push(`in:${text(m)}`);
      void bus.publish('out', `reply-${text(m)}`);
    });
    await bus.subscribe(['out'], (m) => order.push(`out:${text(m)}`));
    await bus.publish('in', 'a');
    await bus.publish('in', 'b');
    expect(order).toEqual(['in:a', 'out:reply-a', 'in:b', 'out:reply-b']);
  });

  it('a failing handler is counted and does not stop delivery to others', async () => {
    const errors: string[] = [];
    const bus = new MemoryBus(new ManualClock(0), (_e, topic) => errors.push(topic));
    const got: string[] = [];
    await bus.subscribe(['t'], () => {
      throw new Error('boom');
    });
    await bus.subscribe(['t'], (m) => got.push(text(m)));
    await bus.publish('t', 'ok');
    expect(got).toEqual(['ok']);
    expect(errors).toEqual(['t']);
    expect(bus.stats().handlerErrors).toBe(1);
    await bus.unsubscribe(['t']);
    await bus.publish('t', 'gone');
    expect(got).toEqual(['ok']);
    await expect(bus.publish('a/+', 'x')).rejects.toThrow(/invalid publish topic/);
  });
});
