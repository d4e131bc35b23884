import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topicMatches } from '../../../src/domain/messaging/topic-filter.js';

/** The rules read straight off MQTT 3.1.1 §4.7, on split levels: the walk must agree with it. */
function bySplitLevels(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const fl = filter.split('/');
  const tl = topic.split('/');
  for (let i = 0; i < fl.length; i++) {
    if (fl[i] === '#') return true;
    if (i >= tl.length) return false;
    if (fl[i] !== '+' && fl[i] !== tl[i]) return false;
  }
  return fl.length === tl.length;
}

describe('topicMatches', () => {
  it.each([
    ['a/b/c', 'a/b/c', true],
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    ['a/#', 'a/b/c', true],
    ['a/#', 'a', true],
    ['a/#', 'ab', false],
    ['#', 'a/b', true],
    ['+', 'a/b', false],
    ['+', '', true],
    ['+/+', '/', true],
    ['a/+', 'a/', true],
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['a/b', 'a/bc', false],
    ['a/bc', 'a/b', false],
    ['a//b', 'a//b', true],
    ['a/+/b', 'a//b', true],
    ['#', '$SYS/x', false],
    ['+/x', '$SYS/x', false],
    ['$SYS/#', '$SYS/x', true],
  ])('%s vs %s -> %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it('agrees with the rules applied to split levels, for arbitrary filters and topics', () => {
    const level = fc.constantFrom('', 'a', 'b', 'ab', 'meters', '$SYS');
    const topic = fc.array(level, { minLength: 1, maxLength: 5 }).map((l) => l.join('/'));
    const filter = fc
      .tuple(fc.array(fc.oneof(level, fc.constant('+')), { minLength: 1, maxLength: 5 }), fc.boolean())
      .map(([l, hash]) => [...l, ...(hash ? ['#'] : [])].join('/'));
    fc.assert(
      fc.property(filter, topic, (f, t) => {
        expect(topicMatches(f, t)).toBe(bySplitLevels(f, t));
      }),
      { numRuns: 2000 },
    );
  });
});
