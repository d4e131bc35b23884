import { api, query } from '../api.js';
import { h, link, replace } from '../dom.js';
import { kwh, when } from '../format.js';
import { t } from '../i18n.js';
import { thisMonthRange, toDateRange } from '../periods.js';
import { groupFigures } from '../savings.js';
import { siteActions } from './actions.js';
import { alertsSection } from './alerts.js';
import { savingsCard } from './figure-card.js';

async function savings(siteId, range, granularity = 'month') {
  const { data } = await api(`/api/v1/savings?${query({ site: siteId, granularity, ...range })}`);
  return data.figures;
}

function modeBadge(space) {
  return h(
    'span',
    {},
    h('span', { class: `badge ${space.mode}` }, t(`mode.${space.mode}`)),
    space.modeSource === 'operator' ? h('span', { class: 'small muted' }, ` ${t('mode.byOperator')}`) : null,
  );
}

/** One row per space: its mode and this month's figure (or what it would have saved in shadow). */
function spaceRow(site, space, figures) {
  const groups = groupFigures(figures, { spaceLevel: true });
  const measured = groups.find((g) => g.kind === 'measured');
  const estimated = groups.find((g) => g.kind === 'estimated');
  let cell = h('span', { class: 'muted' }, '–');
  if (measured && measured.nonRoutine.length === 0) cell = h('span', {}, kwh(measured.avoidedKWh));
  else if (measured) cell = h('span', { class: 'flag' }, t('savings.nonRoutineShort'));
  else if (estimated && estimated.nonRoutine.length === 0)
    cell = h(
      'span',
      { class: 'badge shadow' },
      t('savings.wouldHaveShort', { kwh: kwh(estimated.avoidedKWh) }),
    );
  const stale = [...(space.meters ?? []), ...(space.sensors ?? [])].filter((m) => m.stale).length;
  return h(
    'tr',
    { 'data-testid': `space-row-${space.spaceId ?? space.id}` },
    h(
      'td',
      {},
      link(['site', site.id, 'space', space.spaceId ?? space.id], space.name ?? space.spaceId ?? space.id),
    ),
    h('td', { class: 'hide-narrow' }, t(`spaceType.${space.type}`)),
    h('td', {}, modeBadge(space)),
    h('td', {}, cell),
    h(
      'td',
      { class: 'hide-narrow' },
      stale > 0 ? h('span', { class: 'flag' }, t('space.staleCount', { n: stale })) : '✓',
    ),
  );
}

export async function renderSite(root, session, siteId) {
  const { data: site } = await api(`/api/v1/sites/${encodeURIComponent(siteId)}`);
  const month = thisMonthRange(site.now);
  const [monthFigures, toDateFigures, alerts] = await Promise.all([
    savings(siteId, month),
    // One period over the whole range: months added up would have no interval (theirs do not add).
    savings(siteId, toDateRange(site.now), 'total'),
    alertsSection(siteId),
  ]);
  // The community's answer already holds every space's figures: one request, not one per space.
  const perSpace = site.spaces.map((s) => monthFigures.filter((f) => f.spaceId === (s.spaceId ?? s.id)));
  const released = site.release && (site.release.fireAlarm || site.release.operator);
  replace(
    root,
    h('h1', { 'data-testid': 'site-name' }, site.name),
    h('p', { class: 'muted small' }, t('site.now', { now: when(site.now) })),
    released
      ? h('div', { class: 'banner' }, t(site.release.fireAlarm ? 'site.fireAlarm' : 'site.released'))
      : null,
    h(
      'div',
      { class: 'grid' },
      savingsCard(t('savings.thisMonth'), groupFigures(monthFigures), 'month'),
      savingsCard(t('savings.toDate'), groupFigures(toDateFigures), 'todate'),
    ),
    h(
      'p',
      { class: 'small' },
      h(
        'a',
        {
          href: `/report/${encodeURIComponent(siteId)}/${month.from.slice(0, 7)}?lang=${t('lang.code')}`,
          'data-testid': 'report-link',
        },
        t('site.report'),
      ),
    ),
    h('h2', {}, t('site.spaces')),
    h(
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
            h('th', {}, t('space.name')),
            h('th', { class: 'hide-narrow' }, t('space.type')),
            h('th', {}, t('space.mode')),
            h('th', {}, t('savings.thisMonth')),
            h('th', { class: 'hide-narrow' }, t('space.data')),
          ),
        ),
        h(
          'tbody',
          {},
          site.spaces.map((s, i) => spaceRow(site, s, perSpace[i] ?? [])),
        ),
      ),
    ),
    alerts,
    siteActions(session, siteId),
  );
}
