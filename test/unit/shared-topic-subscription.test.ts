import { describe, expect, it } from 'vitest';
import type { MessageBus, MessageHandler } from '../../src/ports/message-bus.js';
import { TopicSubscription } from '../../src/services/shared/topic-subscription.js';

describe('TopicSubscription', () => {
  it('subscribes to new topics and unsubscribes from removed ones, for its own handler only', async () => {
    const calls: string[] = [];
    const bus: MessageBus = {
      publish: async () => undefined,
      subscribe: async (topics, handler) => {
        calls.push(`sub ${topics.join(',')} ${handler === mine ? 'mine' : 'other'}`);
      },
      unsubscribe: async (topics, handler) => {
        calls.push(`unsub ${topics.join(',')} ${handler === mine ? 'mine' : 'other'}`);
      },
    };
    const mine: MessageHandler = () => undefined;
    const subscription = new TopicSubscription(bus, mine);
    expect(await subscription.set(['a', 'b'])).toEqual({ added: 2, removed: 0 });
    expect(await subscription.set(['b', 'c'])).toEqual({ added: 1, removed: 1 });
    expect(await subscription.set(['b', 'c'])).toEqual({ added: 0, removed: 0 });
    expect(subscription.count).toBe(2);
    await subscription.set([]);
    expect(calls).toEqual(['sub a,b mine', 'sub c mine', 'unsub a mine', 'unsub b,c mine']);
  });

  it('releases its handler on a stop without unsubscribing, where the bus can keep the session', async () => {
    const calls: string[] = [];
    const bus: MessageBus = {
      publish: async () => undefined,
      subscribe: async (topics) => {
        calls.push(`sub ${topics.join(',')}`);
      },
      unsubscribe: async (topics) => {
        calls.push(`unsub ${topics.join(',')}`);
      },
      detach: (topics) => {
        calls.push(`detach ${topics.join(',')}`);
      },
    };
    const subscription = new TopicSubscription(bus, () => undefined);
    await subscription.set(['a', 'b']);
    await subscription.set(['b']);
    await subscription.release();
    expect(subscription.count).toBe(0);
    await subscription.release();
    // A start after the release subscribes again: the bus routes to the handler once more.
    await subscription.set(['b']);
    expect(calls).toEqual(['sub a,b', 'unsub a', 'detach b', 'sub b']);
  });

  it('unsubscribes on release when the bus keeps no session', async () => {
    const calls: string[] = [];
    const bus: MessageBus = {
      publish: async () => undefined,
      subscribe: async () => undefined,
      unsubscribe: async (topics) => {
        calls.push(`unsub ${topics.join(',')}`);
      },
    };
    const subscription = new TopicSubscription(bus, () => undefined);
    await subscription.set(['a']);
    await subscription.release();
    expect(calls).toEqual(['unsub a']);
  });
});
