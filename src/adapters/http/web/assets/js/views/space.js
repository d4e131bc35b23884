import { ApiError, api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { num, when } from '../format.js';
import { t } from '../i18n.js';
import { addDays, thisMonthRange } from '../periods.js';
import { spaceActions } from './actions.js';
import { alertsSection } from './alerts.js';
import { lineChart } from './chart.js';

const seconds = (iso) => Date.parse(iso) / 1000;

/** Hourly baseline and actual of the last week, of one kind and method (never mixed). */
function baselineSeries(figures) {
  const kind = figures.some((f) => f.kind === 'measured') ? 'measured' : 'estimated';
  const ofKind = figures.filter((f) => f.kind === kind);
  const method = ofKind[0]?.method;
  const same = ofKind.filter((f) => f.method === method);
  // The space's own sum (no end use) when the server sent it; else a `total` meter alone (it
  // already holds lighting and hvac); else the end uses added up.
  const chosen = same.some((f) => f.endUse === null)
    ? same.filter((f) => f.endUse === null)
    : same.some((f) => f.endUse === 'total')
      ? same.filter((f) => f.endUse === 'total')
      : same;
  const byHour = new Map();
  for (const f of chosen) {
    const at = seconds(f.periodStart);
    const cur = byHour.get(at) ?? { baseline: 0, actual: 0 };
    cur.baseline += f.baselineKWh;
    cur.actual += f.actualKWh;
    byHour.set(at, cur);
  }
  const xs = [...byHour.keys()].sort((a, b) => a - b);
  return {
    kind,
    xs,
    baseline: xs.map((x) => byHour.get(x).baseline),
    actual: xs.map((x) => byHour.get(x).actual),
  };
}

function deviceTable(devices) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'devices' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('device.id')),
          h('th', {}, t('device.setpoint')),
          h('th', {}, t('device.ack')),
          h('th', { class: 'hide-narrow' }, t('device.commissioning')),
          h('th', { class: 'hide-narrow' }, t('device.lease')),
        ),
      ),
      h(
        'tbody',
        {},
        devices.map((d) =>
          h(
            'tr',
            {},
            h('td', {}, d.id, h('div', { class: 'small muted' }, t(`deviceKind.${d.kind}`))),
            h(
              'td',
              {},
              d.setpoint ?? '–',
              d.overrideUntil
                ? h('div', { class: 'small flag' }, t('device.override', { until: when(d.overrideUntil) }))
                : null,
              d.handedBack ? h('div', { class: 'small muted' }, t('device.handedBack')) : null,
            ),
            h('td', {}, t(`ack.${d.ack}`)),
            h('td', { class: 'hide-narrow' }, t(`commissioning.${d.commissioning}`)),
            h('td', { class: 'hide-narrow' }, when(d.leaseUntil)),
          ),
        ),
      ),
    ),
  );
}

function readingsTable(space) {
  const rows = [
    ...(space.meters ?? []).map((m) => ({
      id: m.id,
      what: t(`endUse.${m.endUse}`),
      at: m.lastReadingAt,
      stale: m.stale,
      value: null,
    })),
    ...(space.sensors ?? []).map((s) => ({
      id: s.id,
      what: t(`sensorKind.${s.kind}`),
      at: s.lastReadingAt,
      stale: s.stale,
      value: s.value,
    })),
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('reading.source')),
          h('th', {}, t('reading.last')),
          h('th', {}, t('reading.state')),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, r.id, h('div', { class: 'small muted' }, r.what)),
            h(
              'td',
              {},
              when(r.at),
              r.value === null || r.value === undefined
                ? null
                : h('div', { class: 'small' }, num(r.value, 1)),
            ),
            h('td', {}, r.stale ? h('span', { class: 'flag' }, t('reading.stale')) : t('reading.fresh')),
          ),
        ),
      ),
    ),
  );
}

async function planChart(siteId, spaceId, timeZone) {
  try {
    const { data: plan } = await api(
      `/api/v1/sites/${encodeURIComponent(siteId)}/spaces/${encodeURIComponent(spaceId)}/plan`,
    );
    const xs = plan.slots.map(seconds);
    const series = [
      ...plan.lighting.map((l) => ({
        label: `${l.deviceId} %`,
        unit: '%',
        values: l.levelPct,
        stepped: true,
      })),
      ...plan.hvac.map((v) => ({
        label: `${v.deviceId} °C`,
        unit: '°C',
        values: v.setpointC,
        stepped: true,
      })),
    ];
    return lineChart({ title: t('space.plan'), timeZone, xs, series, testId: 'plan-chart' });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404)
      return h('p', { class: 'muted' }, t('space.noPlan'));
    throw error;
  }
}

export async function renderSpace(root, session, siteId, spaceId) {
  const base = `/api/v1/sites/${encodeURIComponent(siteId)}`;
  const [{ data: site }, { data: space }] = await Promise.all([
    api(base),
    api(`${base}/spaces/${encodeURIComponent(spaceId)}`),
  ]);
  const today = site.now.slice(0, 10);
  const month = thisMonthRange(site.now);
  const [hourly, comfort, plan, alerts] = await Promise.all([
    api(
      `/api/v1/savings?${query({ site: siteId, space: spaceId, granularity: 'hour', from: addDays(today, -6), to: addDays(today, 1) })}`,
    ),
    api(`/api/v1/comfort?${query({ site: siteId, space: spaceId, ...month })}`),
    planChart(siteId, spaceId, site.timeZone),
    alertsSection(siteId, spaceId),
  ]);
  const series = baselineSeries(hourly.data.figures);
  const kpi = comfort.data.kpis[0];
  const modeBadge = h('span', { 'data-testid': 'space-mode' });
  const modeSource = h('p', { class: 'small muted', 'data-testid': 'space-mode-source' });
  const showMode = (s) => {
    modeBadge.className = `badge ${s.mode}`;
    modeBadge.textContent = t(`mode.${s.mode}`);
    modeSource.textContent = t(s.modeSource === 'operator' ? 'mode.sourceOperator' : 'mode.sourceConfig');
  };
  showMode(space);
  const refreshMode = async () => showMode((await api(`${base}/spaces/${encodeURIComponent(spaceId)}`)).data);
  replace(
    root,
    h('p', { class: 'small' }, h('a', { href: `#/site/${encodeURIComponent(siteId)}` }, `← ${site.name}`)),
    h('h1', {}, space.name ?? spaceId, ' ', modeBadge),
    modeSource,
    series.xs.length === 0
      ? h('p', { class: 'muted' }, t('space.noBaseline'))
      : lineChart({
          title: t(series.kind === 'measured' ? 'space.baselineVsActual' : 'space.baselineVsShadow'),
          timeZone: site.timeZone,
          xs: series.xs,
          series: [
            {
              label: t('chart.baseline'),
              unit: 'kWh',
              values: series.baseline,
              colour: '#8a949b',
              dash: [6, 4],
            },
            { label: t('chart.actual'), unit: 'kWh', values: series.actual, colour: '#1f7a5a' },
          ],
          testId: 'baseline-chart',
        }),
    plan,
    h('h2', {}, t('comfort.title')),
    kpi
      ? h(
          'div',
          { class: 'grid', 'data-testid': 'comfort' },
          h(
            'div',
            { class: 'card' },
            h('h3', {}, t('comfort.discomfort')),
            h('div', { class: 'big' }, `${num(kpi.discomfortKh, 1)} K·h`),
          ),
          h(
            'div',
            { class: 'card' },
            h('h3', {}, t('comfort.underLit')),
            h('div', { class: 'big' }, `${num(kpi.underLitOccupiedHours, 0)} h`),
          ),
          h(
            'div',
            { class: 'card' },
            h('h3', {}, t('comfort.occupied')),
            h('div', { class: 'big' }, `${num(kpi.occupiedHours, 0)} h`),
          ),
        )
      : h('p', { class: 'muted' }, t('comfort.none')),
    h('h2', {}, t('space.devices')),
    deviceTable(space.devices ?? []),
    h('h2', {}, t('space.readings')),
    readingsTable(space),
    spaceActions(session, siteId, spaceId, refreshMode),
    alerts,
  );
}
