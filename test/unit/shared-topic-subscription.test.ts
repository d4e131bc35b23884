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
});
