import { describe, expect, it } from 'vitest';
import { topicMatches } from '../../../src/adapters/mqtt/topic-filter.js';

describe('topicMatches', () => {
  it.each([
    ['a/b/c', 'a/b/c', true],
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    ['a/#', 'a/b/c', true],
    ['a/#', 'a', true],
    ['#', 'a/b', true],
    ['+', 'a/b', false],
    ['a/+', 'a/b/c', false],
    ['#', '$SYS/x', false],
  ])('%s vs %s -> %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
