import type { RecordedAlert } from './alert-recorder.js';
import type { DesignHour } from './capacity-recorder.js';
import type { SpaceMetrics } from './metrics.js';
import type { ArmResult } from './run-arm.js';

/** The issue's targets for the extreme scenarios (with the site's limits equal to the schedule's setpoints). */
export const TARGET_SAVING_PCT = 30;

/** One line of a scenario's table: a space, or the controllable total. */
export interface ScenarioRow {
  readonly label: string;
  readonly conditioned: boolean;
  readonly fixedKWh: number;
  readonly quietwattKWh: number;
  readonly savedPct: number;
  /** HVAC units' energy (conditioned spaces; life-safety fans left out), kWh. */
  readonly fixedHvacKWh: number;
  readonly quietwattHvacKWh: number;
  /** HVAC's part of the lighting + HVAC saving, %; undefined when nothing was saved or there is no HVAC. */
  readonly hvacSharePct: number | undefined;
  readonly fixedDiscomfortKh: number;
  readonly quietwattDiscomfortKh: number;
  readonly fixedUnderLitH: number;
  readonly quietwattUnderLitH: number;
  readonly design?: DesignHour;
}

export interface ScenarioVerdict {
  readonly rows: ScenarioRow[];
  readonly total: ScenarioRow;
  readonly discomfortWorse: string[];
  readonly discomfortOk: boolean;
  readonly underLitOk: boolean;
  readonly energyOk: boolean;
}

const pct = (a: number, b: number) => (a > 0 ? (100 * (a - b)) / a : 0);

function rowOf(
  label: string,
  f: readonly SpaceMetrics[],
  q: readonly SpaceMetrics[],
  design: DesignHour | undefined,
): ScenarioRow {
  const sum = (list: readonly SpaceMetrics[], g: (m: SpaceMetrics) => number) =>
    list.reduce((a, m) => a + g(m), 0);
  const kWh = (m: SpaceMetrics) => m.lightingKWh + m.hvacKWh - m.lifeSafetyKWh;
  const hvac = (m: SpaceMetrics) => (m.conditioned ? m.hvacKWh : 0);
  const fixedKWh = sum(f, kWh);
  const quietwattKWh = sum(q, kWh);
  const fixedHvacKWh = sum(f, hvac);
  const quietwattHvacKWh = sum(q, hvac);
  const saved = fixedKWh - quietwattKWh;
  const conditioned = f.some((m) => m.conditioned);
  return {
    label,
    conditioned,
    fixedKWh,
    quietwattKWh,
    savedPct: pct(fixedKWh, quietwattKWh),
    fixedHvacKWh,
    quietwattHvacKWh,
    // A space without HVAC has no share to give: "—", not 0 %.
    hvacSharePct: conditioned && saved > 1e-9 ? (100 * (fixedHvacKWh - quietwattHvacKWh)) / saved : undefined,
    fixedDiscomfortKh: sum(f, (m) => m.discomfortKh),
    quietwattDiscomfortKh: sum(q, (m) => m.discomfortKh),
    fixedUnderLitH: sum(f, (m) => m.underLitHours),
    quietwattUnderLitH: sum(q, (m) => m.underLitHours),
    ...(design ? { design } : {}),
  };
}

/**
 * One scenario run compared: per space and for the controllable total (life-safety equipment left
 * out), with the issue's targets: no more discomfort than the schedule in any conditioned space, no
 * under-lit occupied hour, and at least 30 % less controllable lighting + HVAC energy.
 */
export function judgeScenario(fixed: ArmResult, quietwatt: ArmResult): ScenarioVerdict {
  const rows = fixed.metrics.spaces.map((f) => {
    const q = quietwatt.metrics.spaces.find((m) => m.spaceKey === f.spaceKey);
    const design = fixed.designHours?.find((d) => d.spaceKey === f.spaceKey);
    return rowOf(f.spaceKey.split('/').pop() ?? f.spaceKey, [f], q ? [q] : [], design);
  });
  const total = rowOf('total, controllable', fixed.metrics.spaces, quietwatt.metrics.spaces, undefined);
  const discomfortWorse = rows
    .filter((r) => r.conditioned && r.quietwattDiscomfortKh > r.fixedDiscomfortKh + 1e-6)
    .map((r) => `${r.label} ${r.fixedDiscomfortKh.toFixed(2)} → ${r.quietwattDiscomfortKh.toFixed(2)} K·h`);
  return {
    rows,
    total,
    discomfortWorse,
    discomfortOk: discomfortWorse.length === 0,
    underLitOk: total.quietwattUnderLitH === 0,
    energyOk: total.savedPct >= TARGET_SAVING_PCT,
  };
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

function localStamp(tMs: number): string {
  // The scenarios' sites keep China Standard Time (UTC+8, no daylight saving).
  return new Date(tMs + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ');
}

function designCell(d: DesignHour | undefined): string {
  if (!d) return '—';
  if (d.hourStartMs === undefined) return 'no whole hour at work';
  return `${Math.round(100 * d.capacityFraction)} % (${localStamp(d.hourStartMs)}, ${f1(d.outdoorC)} °C out, ${f1(d.indoorC)} °C in)`;
}

/** The scenario's comparison as a Markdown table. */
export function formatScenarioTable(v: ScenarioVerdict): string {
  const head =
    "| space | fixed kWh | QuietWatt kWh | energy saved | HVAC kWh (fixed → QW) | HVAC share of the saving | discomfort K·h (fixed → QW) | under-lit occupied h (fixed → QW) | schedule units' capacity used in the design hour |";
  const sep = '|---|--:|--:|--:|--:|--:|--:|--:|---|';
  const line = (r: ScenarioRow) =>
    `| ${r.label} | ${f1(r.fixedKWh)} | ${f1(r.quietwattKWh)} | ${f1(r.savedPct)} % | ${r.conditioned ? `${f1(r.fixedHvacKWh)} → ${f1(r.quietwattHvacKWh)}` : '—'} | ${r.hvacSharePct === undefined ? '—' : `${f1(r.hvacSharePct)} %`} | ${r.conditioned ? `${f2(r.fixedDiscomfortKh)} → ${f2(r.quietwattDiscomfortKh)}` : '—'} | ${f2(r.fixedUnderLitH)} → ${f2(r.quietwattUnderLitH)} | ${designCell(r.design)} |`;
  return [head, sep, ...v.rows.map(line), line(v.total)].join('\n');
}

/** PASS / FAIL lines against the issue's targets. */
export function formatVerdict(v: ScenarioVerdict): string[] {
  const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  return [
    `- ${mark(v.discomfortOk)} discomfort no more than the schedule's in every conditioned space${v.discomfortOk ? '' : `: worse in ${v.discomfortWorse.join('; ')}`}`,
    `- ${mark(v.underLitOk)} zero under-lit occupied hours (QuietWatt: ${f2(v.total.quietwattUnderLitH)} h)`,
    `- ${mark(v.energyOk)} lighting + HVAC energy at least ${TARGET_SAVING_PCT} % below the schedule (saved ${f1(v.total.savedPct)} %; HVAC's share of the saving ${v.total.hvacSharePct === undefined ? '—' : `${f1(v.total.hvacSharePct)} %`})`,
    `- overall: ${mark(v.discomfortOk && v.underLitOk && v.energyOk)}`,
  ];
}

/** The alerts raised in a run, one line each (local time, China Standard Time). */
export function formatAlerts(alerts: readonly RecordedAlert[] | undefined, maxLines = 12): string[] {
  if (alerts === undefined)
    return [
      'Alerts: the --core arm has no alert path (the band-hold `comfort-risk` alerts are raised by the control service; run without --core to see them).',
    ];
  if (alerts.length === 0) return ['Alerts raised: none.'];
  const byKind = new Map<string, number>();
  for (const a of alerts) {
    const k =
      `${a.raise.kind}${a.raise.subject ? `/${a.raise.subject}` : ''} ${a.raise.spaceId ?? ''}`.trim();
    byKind.set(k, (byKind.get(k) ?? 0) + 1);
  }
  const lines = [`Alerts raised: ${alerts.length} (${[...byKind].map(([k, n]) => `${k}: ${n}`).join('; ')})`];
  for (const a of alerts.slice(0, maxLines))
    lines.push(
      `- ${localStamp(a.raisedMs)}${a.clearedMs === undefined ? ' (still open)' : ` to ${localStamp(a.clearedMs)}`} ${a.raise.kind} ${a.raise.spaceId ?? ''}: ${a.raise.message}`,
    );
  if (alerts.length > maxLines) lines.push(`- … and ${alerts.length - maxLines} more`);
  return lines;
}

const k = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(2);

/** The thermal model's 24-hour prediction error per space and the outdoor forecast's error per site. */
export function formatPredictionErrors(
  r: Pick<ArmResult, 'predictionErrors' | 'outdoorForecastErrors'>,
): string[] {
  if (!r.predictionErrors) return [];
  const lines = [
    '',
    'Thermal model, 24-hour indoor temperature predictions of the hourly plans against the indoor sensors (K):',
    '',
    '| space | plans | pairs | MAE | RMSE | bias | MAE at 24 h |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...r.predictionErrors.map(
      (e) =>
        `| ${e.space.split('/').pop()} | ${e.plans} | ${e.pairs} | ${k(e.maeK)} | ${k(e.rmseK)} | ${k(e.biasK)} | ${k(e.mae24hK)} |`,
    ),
  ];
  for (const o of r.outdoorForecastErrors ?? [])
    lines.push(
      '',
      `Outdoor forecast (${o.siteId}, learned from the site's sensor history): ${o.hours} hours scored, MAE ${k(o.maeK)} K, RMSE ${k(o.rmseK)} K, bias ${k(o.biasK)} K.`,
    );
  return lines;
}
