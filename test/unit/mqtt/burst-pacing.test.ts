import { describe, expect, it } from 'vitest';
import { BurstPacing } from '../../../src/adapters/mqtt/burst-pacing.js';

describe('BurstPacing', () => {
  const at = (startMs = 0) => {
    let nowMs = startMs;
    const pacing = new BurstPacing(10, () => nowMs);
    return { pacing, advance: (ms: number) => (nowMs += ms) };
  };

  it('lets the first burst of a connection run its whole window', () => {
    const { pacing } = at();
    expect(pacing.full(1)).toBe(false);
    expect(pacing.full(500)).toBe(false);
  });

  it('commits a burst at once when it holds as many as the last whole window', () => {
    const { pacing, advance } = at();
    pacing.windowEnded(20);
    advance(5);
    expect(pacing.full(19)).toBe(false);
    expect(pacing.full(20)).toBe(true);
    expect(pacing.full(21)).toBe(true);
  });

  it('runs the window again a second after it learned, as the rate may have changed', () => {
    const { pacing, advance } = at();
    pacing.windowEnded(1);
    advance(999);
    expect(pacing.full(1)).toBe(true);
    advance(1);
    expect(pacing.full(1)).toBe(false);
    expect(pacing.full(400)).toBe(false);
    pacing.windowEnded(200);
    expect(pacing.full(199)).toBe(false);
    expect(pacing.full(200)).toBe(true);
  });

  it('forgets the limit on a new connection', () => {
    const { pacing } = at();
    pacing.windowEnded(20);
    pacing.reset();
    expect(pacing.full(20)).toBe(false);
  });
});
