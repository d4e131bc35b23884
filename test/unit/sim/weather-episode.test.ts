import { describe, expect, it } from 'vitest';
import { episodeOffsetC } from '../../../src/sim/model/weather-episode.js';

const DAY = 86_400_000;
const episode = { peakMs: 10 * DAY, plateauDays: 2, rampDays: 2, offsetC: 4 };

describe('episodeOffsetC', () => {
  it('holds the full offset on the plateau and nothing outside the spell', () => {
    expect(episodeOffsetC(episode, 10 * DAY)).toBe(4);
    expect(episodeOffsetC(episode, 9 * DAY)).toBe(4);
    expect(episodeOffsetC(episode, 11 * DAY)).toBe(4);
    expect(episodeOffsetC(episode, 7 * DAY)).toBe(0);
    expect(episodeOffsetC(episode, 13.5 * DAY)).toBe(0);
    expect(episodeOffsetC(undefined, 10 * DAY)).toBe(0);
  });

  it('ramps in and out smoothly, half way in the middle of each ramp', () => {
    expect(episodeOffsetC(episode, 8 * DAY)).toBeCloseTo(2, 9);
    expect(episodeOffsetC(episode, 12 * DAY)).toBeCloseTo(2, 9);
    expect(episodeOffsetC({ ...episode, offsetC: -3 }, 12 * DAY)).toBeCloseTo(-1.5, 9);
  });
});
