import { describe, expect, it } from 'vitest';
import { describeMethod, halfWidthKWh } from '../../../src/domain/reporting/method-words.js';

describe('method in plain words', () => {
  const interval = { lowKWh: 80, highKWh: 120.8, confidence: 0.9 };

  it('names randomized days, the confidence and the half-width in English', () => {
    const text = describeMethod(
      { kind: 'measured', method: 'randomized', avoidedKWh: 100, interval, provisional: false },
      'en',
    );
    expect(text).toBe('measured by randomized on/off days, 90% interval ±20.4 kWh');
  });

  it('marks provisional figures and shadow estimates, in Chinese', () => {
    const text = describeMethod(
      { kind: 'estimated', method: 'baseline', avoidedKWh: 10, interval, provisional: true },
      'zh',
    );
    expect(text).toContain('影子模式');
    expect(text).toContain('90% 置信区间 ±20.4 kWh');
    expect(text.endsWith('暂定')).toBe(true);
  });

  it('says when there is no interval yet', () => {
    const facts = { kind: 'measured', method: 'baseline', avoidedKWh: 5, provisional: true } as const;
    expect(describeMethod(facts, 'en')).toContain('no interval yet');
    expect(describeMethod(facts, 'zh')).toContain('尚无置信区间');
  });

  it('half-width is half the interval', () => {
    expect(halfWidthKWh({ lowKWh: -3, highKWh: 7, confidence: 0.95 })).toBe(5);
  });
});
