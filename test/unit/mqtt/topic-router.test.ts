import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopicRouter } from '../../../src/adapters/mqtt/topic-router.js';
import { topicMatches } from '../../../src/domain/messaging/topic-filter.js';

const level = fc.constantFrom('a', 'b', 'meters', '', '$SYS');
const topic = fc
  .array(level, { minLength: 1, maxLength: 4 })
  .map((levels) => levels.join('/'))
  // `$` may only start a topic, as brokers use it.
  .filter((t) => !t.slice(1).includes('$'));
const filter = fc
  .tuple(
    fc.array(fc.constantFrom('a', 'b', 'meters', '', '+', '$SYS'), { minLength: 1, maxLength: 4 }),
    fc.boolean(),
  )
  .map(([levels, hash]) => [...levels, ...(hash ? ['#'] : [])].join('/'))
  .filter((f) => !f.slice(1).includes('$'));

/** What the MQTT rules say a topic reaches: each handler once, in the order of its first subscription. */
function expectedHandlers(subs: readonly [string, number][], order: readonly number[], t: string): number[] {
  const expected = [...new Set(subs.filter(([f]) => topicMatches(f, t)).map(([, h]) => h))];
  return expected.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

describe('TopicRouter', () => {
  it('reaches exactly the handlers whose filters match, as the MQTT rules say (checked against topicMatches)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(filter, fc.integer({ min: 0, max: 4 })), { maxLength: 12 }),
        topic,
        (subs, t) => {
          const router = new TopicRouter<number>();
          for (const [f, h] of subs) router.add(f, h);
          const order = [...new Set(subs.map(([, h]) => h))];
          expect(router.match(t)).toEqual(expectedHandlers(subs, order, t));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers from what is subscribed now, however adds, removals and matches interleave', () => {
    // A few filters and topics per run, so that the same topic is matched again after a change.
    const op = fc.oneof(
      fc.record({ add: fc.nat(3), handler: fc.integer({ min: 0, max: 3 }) }),
      fc.record({
        remove: fc.nat(3),
        handler: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      }),
      fc.record({ match: fc.nat(3) }),
    );
    const pool = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(pool(filter), pool(topic), fc.array(op, { maxLength: 40 }), (filters, topics, ops) => {
        const router = new TopicRouter<number>();
        const subs: [string, number][] = [];
        const order: number[] = [];
        for (const o of ops) {
          if ('add' in o) {
            const f = filters[o.add] as string;
            router.add(f, o.handler);
            if (!subs.some(([sf, h]) => sf === f && h === o.handler)) subs.push([f, o.handler]);
            if (!order.includes(o.handler)) order.push(o.handler);
          } else if ('remove' in o) {
            const f = filters[o.remove] as string;
            router.remove(f, o.handler);
            for (let i = subs.length - 1; i >= 0; i--) {
              const [sf, h] = subs[i] as [string, number];
              if (sf === f && (o.handler === undefined || h === o.handler)) subs.splice(i, 1);
            }
          } else {
            const t = topics[o.match] as string;
            expect(router.match(t)).toEqual(expectedHandlers(subs, order, t));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('forgets a filter for one handler, or for all, and says whether it is still used', () => {
    const router = new TopicRouter<string>();
    router.add('meters/+/energy', 'ingest');
    router.add('meters/+/energy', 'summary');
    router.add('meters/lobby/energy', 'ingest');
    expect(router.match('meters/lobby/energy')).toEqual(['ingest', 'summary']);
    router.remove('meters/+/energy', 'summary');
    expect(router.has('meters/+/energy')).toBe(true);
    expect(router.match('meters/garage/energy')).toEqual(['ingest']);
    router.remove('meters/+/energy');
    expect(router.has('meters/+/energy')).toBe(false);
    expect(router.match('meters/garage/energy')).toEqual([]);
    expect(router.match('meters/lobby/energy')).toEqual(['ingest']);
  });

  it('keeps $ topics out of filters that start with a wildcard', () => {
    const router = new TopicRouter<string>();
    router.add('#', 'all');
    router.add('+/status', 'status');
    router.add('$SYS/#', 'sys');
    expect(router.match('$SYS/broker/uptime')).toEqual(['sys']);
    expect(router.match('$SYS/status')).toEqual(['sys']);
    expect(router.match('quietwatt/status')).toEqual(['all', 'status']);
  });
});
