import { h } from '../dom.js';

const COLOURS = ['#1f7a5a', '#6b5ca5', '#c26a00', '#2b6cb0', '#b3261e', '#4a5568'];

/** A uPlot chart sized to its container; times in seconds, shown in the site's time zone. */
export function lineChart({ title, timeZone, xs, series, testId }) {
  const box = h('div', { class: 'chart', 'data-testid': testId });
  const heading = h('h3', {}, title);
  const wrap = h('section', {}, heading, box);
  if (!window.uPlot || xs.length === 0) return wrap;
  const scales = { x: { time: true } };
  const axes = [{}];
  const units = [...new Set(series.map((s) => s.unit))];
  units.forEach((unit, i) => {
    scales[unit] = {};
    axes.push({ scale: unit, side: i === 0 ? 3 : 1, label: unit, grid: { show: i === 0 } });
  });
  const opts = {
    width: 600,
    height: 240,
    tzDate: (ts) => window.uPlot.tzDate(new Date(ts * 1000), timeZone),
    scales,
    axes,
    series: [
      {},
      ...series.map((s, i) => ({
        label: s.label,
        scale: s.unit,
        stroke: s.colour ?? COLOURS[i % COLOURS.length],
        width: 2,
        dash: s.dash,
        paths: s.stepped ? window.uPlot.paths.stepped({ align: 1 }) : undefined,
      })),
    ],
  };
  const data = [xs, ...series.map((s) => s.values)];
  // Drawn once the box is in the page, so it can take the box's width (phones included).
  let frames = 0;
  const draw = () => {
    if (!box.isConnected) {
      // A page left before it was shown never connects: give up after a few seconds.
      if (++frames < 300) requestAnimationFrame(draw);
      return;
    }
    const width = Math.max(280, box.clientWidth - 16);
    new window.uPlot({ ...opts, width }, data, box);
  };
  requestAnimationFrame(draw);
  return wrap;
}
