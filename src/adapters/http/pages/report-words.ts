import type { ReportLang } from '../../../domain/reporting/method-words.js';

/** The monthly report's fixed texts, English and Simplified Chinese. */
const EN = {
  title: 'Monthly energy savings report',
  period: 'Period',
  readingDay: 'meters read on day {day} of the month',
  generated: 'Generated',
  summary: 'Savings this month',
  measured: 'Measured savings (spaces under active control)',
  estimated: 'Would have saved (spaces in shadow mode: plans computed, not sent)',
  wouldHave: 'would have saved',
  noFigures: 'No savings figure for this month yet.',
  nonRoutine: 'Not reported: a non-routine change makes this figure unreliable.',
  avoided: 'Energy avoided',
  share: 'Share of baseline',
  money: 'Value at the tariff',
  co2: 'CO₂ avoided',
  kgce: 'Standard coal equivalent',
  baseline: 'Baseline',
  actual: 'Actual',
  method: 'Method and uncertainty',
  provisional: 'provisional: the interval is still wider than the target',
  chart: 'Daily energy: baseline and actual (kWh)',
  noChart: 'No daily figures to chart.',
  spaces: 'By space',
  space: 'Space',
  mode: 'Mode',
  comfort: 'Comfort (occupied hours)',
  discomfort: 'Outside the comfort band (K·h)',
  underLit: 'Under-lit occupied hours',
  occupied: 'Occupied hours',
  events: 'Events',
  noEvents: 'No events in this period.',
  when: 'When',
  what: 'What',
  where: 'Where',
  cleared: 'cleared',
  open: 'still open',
  factors: 'Conversion factors',
  kgceFactor: 'Energy in standard coal equivalent at {factor} kgce/kWh ({source}).',
  gridFactor: 'Grid emission factor {factor} kg CO₂/kWh, {region}, {source}, {year}.',
  provenance: 'Computed with',
  print: 'Print or save as PDF',
  lang: 'en',
};

const ZH: typeof EN = {
  title: '月度节能报告',
  period: '统计周期',
  readingDay: '每月 {day} 日抄表',
  generated: '生成时间',
  summary: '本月节省',
  measured: '实测节省（启用控制的区域）',
  estimated: '本可节省（影子模式区域：已计算计划，未下发）',
  wouldHave: '本可节省',
  noFigures: '本月尚无节省数据。',
  nonRoutine: '未报告：存在非常规变化，该数值不可靠。',
  avoided: '节约电量',
  share: '占基线比例',
  money: '按电价折算金额',
  co2: '减少二氧化碳',
  kgce: '折合标准煤',
  baseline: '基线',
  actual: '实际',
  method: '方法与不确定度',
  provisional: '暂定：置信区间仍宽于目标',
  chart: '每日用电：基线与实际（kWh）',
  noChart: '暂无每日数据。',
  spaces: '分区域',
  space: '区域',
  mode: '模式',
  comfort: '舒适度（有人时段）',
  discomfort: '超出舒适区间（K·h）',
  underLit: '照度不足的有人小时数',
  occupied: '有人小时数',
  events: '事件',
  noEvents: '本周期内无事件。',
  when: '时间',
  what: '内容',
  where: '位置',
  cleared: '已解除',
  open: '仍未解除',
  factors: '折算系数',
  kgceFactor: '标准煤折算系数 {factor} kgce/kWh（{source}）。',
  gridFactor: '电网排放因子 {factor} kg CO₂/kWh，{region}，{source}，{year} 年。',
  provenance: '计算依据',
  print: '打印或另存为 PDF',
  lang: 'zh-CN',
};

export type ReportWords = typeof EN;

export function reportWords(lang: ReportLang): ReportWords {
  return lang === 'zh' ? ZH : EN;
}

export const MODE_WORDS: Record<ReportLang, Record<string, string>> = {
  en: { off: 'off', shadow: 'shadow', active: 'active' },
  zh: { off: '关闭', shadow: '影子', active: '启用' },
};

export const ALERT_WORDS: Record<ReportLang, Record<string, string>> = {
  en: {
    'stale-meter': 'Meter silent',
    'stale-sensor': 'Sensor silent',
    'commissioning-failed': 'Commissioning failed',
    override: 'Manual override',
    'model-guideline14': 'Baseline model below ASHRAE Guideline 14',
    'config-refused': 'Config change refused',
    'store-unwritable': 'Storage not writable',
    'comfort-risk': 'Comfort at risk',
    'non-routine': 'Non-routine change',
    'verification-period': 'New verification period',
  },
  zh: {
    'stale-meter': '电表无数据',
    'stale-sensor': '传感器无数据',
    'commissioning-failed': '调试失败',
    override: '手动接管',
    'model-guideline14': '基线模型未达 ASHRAE Guideline 14',
    'config-refused': '配置变更被拒绝',
    'store-unwritable': '存储不可写',
    'comfort-risk': '舒适度风险',
    'non-routine': '非常规变化',
    'verification-period': '新的验证周期',
  },
};

/** `{name}` placeholders filled in. */
export function fill(text: string, vars: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}
