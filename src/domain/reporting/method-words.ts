/**
 * How a savings figure was obtained, in plain words for a property manager (English and Simplified
 * Chinese). The figures themselves carry kind, method and interval; this only phrases them.
 */
export type ReportLang = 'en' | 'zh';
export const REPORT_LANGS: readonly ReportLang[] = ['en', 'zh'];

export interface MethodFacts {
  readonly kind: 'measured' | 'estimated';
  readonly method: 'baseline' | 'randomized';
  readonly avoidedKWh: number;
  readonly interval?: { readonly lowKWh: number; readonly highKWh: number; readonly confidence: number };
  readonly provisional: boolean;
}

const HOW: Record<ReportLang, Record<MethodFacts['kind'], Record<MethodFacts['method'], string>>> = {
  en: {
    measured: {
      randomized: 'measured by randomized on/off days',
      baseline: 'measured against a baseline fitted on the readings before control',
    },
    estimated: {
      randomized: 'estimated in shadow mode (would have saved), randomized days',
      baseline: 'estimated in shadow mode (would have saved) against the fitted baseline',
    },
  },
  zh: {
    measured: {
      randomized: '随机开关日对比实测',
      baseline: '以控制前读数拟合的基线实测',
    },
    estimated: {
      randomized: '影子模式估算（本可节省），随机日对比',
      baseline: '影子模式估算（本可节省），对比拟合基线',
    },
  },
};

/** Half the interval's width, kWh: the "±" a reader expects. */
export function halfWidthKWh(interval: NonNullable<MethodFacts['interval']>): number {
  return (interval.highKWh - interval.lowKWh) / 2;
}

function round(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : 1;
  return String(Number(value.toFixed(digits)));
}

/** e.g. "measured by randomized on/off days, 90% interval ±12.4 kWh, provisional". */
export function describeMethod(facts: MethodFacts, lang: ReportLang): string {
  const parts = [HOW[lang][facts.kind][facts.method]];
  if (facts.interval) {
    const pct = Math.round(facts.interval.confidence * 100);
    const pm = round(halfWidthKWh(facts.interval));
    parts.push(lang === 'en' ? `${pct}% interval ±${pm} kWh` : `${pct}% 置信区间 ±${pm} kWh`);
  } else {
    parts.push(lang === 'en' ? 'no interval yet' : '尚无置信区间');
  }
  if (facts.provisional) parts.push(lang === 'en' ? 'provisional' : '暂定');
  return parts.join(lang === 'en' ? ', ' : '，');
}
