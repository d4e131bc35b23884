import { describe, expect, it } from 'vitest';
import type { ShortfallContext } from '../../../src/domain/comfort/predicted-shortfall.js';
import type { PredictedShortfall } from '../../../src/domain/planning/predictive/lp-solution.js';
import type { AlertSink } from '../../../src/ports/operations.js';
import { PredictedComfortWatch } from '../../../src/services/control/predicted-comfort-watch.js';
import { captureLogger } from '../../helpers/logger.js';

const ctx: ShortfallContext = {
  space: 'Clubhouse',
  mode: 'heat',
  limitC: 18.5,
  setpointLimitC: 20,
  startMs: Date.UTC(2026, 0, 12, 0),
  slotMs: 15 * 60_000,
  timeZone: 'Asia/Shanghai',
};
const space = { siteId: 'maple-court', spaceId: 'clubhouse' };
const short = (worstK: number, reason: PredictedShortfall['reason'] = 'capacity'): PredictedShortfall[] => [
  { fromSlot: 4, toSlot: 11, worstK, reason },
];

function watch() {
  const raised: string[] = [];
  let cleared = 0;
  const sink: AlertSink = {
    raise: (a) => {
      raised.push(a.message);
    },
    clear: () => {
      cleared++;
    },
  };
  const log = captureLogger();
  return { w: new PredictedComfortWatch(() => sink, log), raised, cleared: () => cleared, log };
}

describe('the predicted comfort watch', () => {
  it('raises one alert per message, and leaves the warning to the alert service', () => {
    const { w, raised, log } = watch();
    w.observe(space, ctx, short(1.2));
    w.observe(space, ctx, short(1.2));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatch(/below/);
    w.observe(space, ctx, short(2.5));
    expect(raised).toHaveLength(2);
    // The alert service logs each raise at warning: the watch adds no second warning line.
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(0);
    expect(log.lines.filter((l) => l.level === 'debug')).toHaveLength(1);
  });

  it('ignores slack the plan chose and noise, and clears at the first plan that holds', () => {
    const { w, raised, cleared } = watch();
    w.observe(space, ctx, short(3, 'allowance'));
    w.observe(space, ctx, short(0.05));
    expect(raised).toHaveLength(0);
    expect(cleared()).toBe(0);
    w.observe(space, ctx, short(1.2));
    w.observe(space, ctx, []);
    expect(cleared()).toBe(1);
    w.observe(space, ctx, []);
    expect(cleared()).toBe(1);
  });
});
