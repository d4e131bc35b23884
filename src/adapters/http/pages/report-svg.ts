import { esc } from './escape.js';
import type { DailyPoint } from './report-data.js';

const W = 680;
const H = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

/** A step up to a round number, so the axis reads 0, 50, 100 rather than 0, 47.3, 94.6. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value) ?? 10;
  return step * magnitude;
}

/**
 * Daily baseline and actual energy as an inline SVG, drawn on the server so the page prints with
 * no JavaScript. Baseline: grey dashed line; actual: green line.
 */
export function dailyChartSvg(
  points: readonly DailyPoint[],
  labels: { baseline: string; actual: string },
): string {
  const top = niceMax(Math.max(...points.flatMap((p) => [p.baselineKWh, p.actualKWh]), 0));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const line = (pick: (p: DailyPoint) => number) =>
    points.map((p, i) => `${x(i).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(' ');
  const ticks = [0, top / 2, top]
    .map(
      (v) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>` +
        `<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(Number(v.toPrecision(3)))}</text>`,
    )
    .join('');
  const every = Math.max(1, Math.ceil(points.length / 8));
  const days = points
    .map((p, i) =>
      i % every === 0
        ? `<text x="${x(i).toFixed(1)}" y="${H - 8}" text-anchor="middle">${esc(p.date.slice(5))}</text>`
        : '',
    )
    .join('');
  return [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`${labels.baseline} / ${labels.actual}`)}" xmlns="http://www.w3.org/2000/svg">`,
    ticks,
    days,
    `<polyline points="${line((p) => p.baselineKWh)}" class="baseline"/>`,
    `<polyline points="${line((p) => p.actualKWh)}" class="actual"/>`,
    // Dots as well, so that a month of one day still shows its two values.
    points
      .map(
        (p, i) =>
          `<circle cx="${x(i).toFixed(1)}" cy="${y(p.baselineKWh).toFixed(1)}" r="2.5" class="baseline-dot"/>` +
          `<circle cx="${x(i).toFixed(1)}" cy="${y(p.actualKWh).toFixed(1)}" r="2.5" class="actual-dot"/>`,
      )
      .join(''),
    `<g class="legend"><line x1="${PAD.left + 8}" x2="${PAD.left + 32}" y1="${PAD.top + 8}" y2="${PAD.top + 8}" class="baseline"/>`,
    `<text x="${PAD.left + 36}" y="${PAD.top + 12}">${esc(labels.baseline)}</text>`,
    `<line x1="${PAD.left + 120}" x2="${PAD.left + 144}" y1="${PAD.top + 8}" y2="${PAD.top + 8}" class="actual"/>`,
    `<text x="${PAD.left + 148}" y="${PAD.top + 12}">${esc(labels.actual)}</text></g>`,
    '</svg>',
  ].join('');
}
