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

describe('TopicRouter', () => {
  it('reaches exactly the handlers whose filters match, as the MQTT rules say (checked against topicMatches)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(filter, fc.integer({ min: 0, max: 4 })), { maxLength: 12 }),
        topic,
        (subs, t) => {
          const router = new TopicRouter<number>();
          for (const [f, h] of subs) router.add(f, h);
          const expected = [...new Set(subs.filter(([f]) => topicMatches(f, t)).map(([, h]) => h))];
          const order = [...new Set(subs.map(([, h]) => h))];
          expected.sort((a, b) => order.indexOf(a) - order.indexOf(b));
          expect(router.match(t)).toEqual(expected);
        },
      ),
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
