import { api, query } from '../api.js';
import { h, link, replace } from '../dom.js';
import { kwh, money, pct } from '../format.js';
import { t } from '../i18n.js';
import { thisMonthRange } from '../periods.js';
import { groupFigures } from '../savings.js';

/** Every community the token may see, with this month's measured savings side by side. */
export async function renderPortfolio(root, sites) {
  const rows = await Promise.all(
    sites.map(async (site) => {
      const { data: status } = await api(`/api/v1/sites/${encodeURIComponent(site.id)}`);
      const range = thisMonthRange(status.now);
      const { data } = await api(
        `/api/v1/savings?${query({ site: site.id, granularity: 'month', ...range })}`,
      );
      const measured = groupFigures(data.figures).find((g) => g.kind === 'measured');
      return { site, measured };
    }),
  );
  replace(
    root,
    h('h1', {}, t('portfolio.title')),
    h(
      'div',
      { class: 'grid', 'data-testid': 'portfolio' },
      rows.map(({ site, measured }) =>
        h(
          'section',
          { class: 'card' },
          h('h3', {}, link(['site', site.id], site.name)),
          h('p', { class: 'small muted' }, t('portfolio.spaces', { n: site.spaces.length })),
          measured && measured.nonRoutine.length === 0
            ? h(
                'div',
                {},
                h('div', { class: 'big' }, kwh(measured.avoidedKWh)),
                h(
                  'div',
                  { class: 'figure-row' },
                  h('span', {}, pct(measured.avoidedShare)),
                  h('span', {}, money(measured.cost, measured.currency)),
                ),
              )
            : h('p', { class: 'muted' }, measured ? t('savings.nonRoutineShort') : t('savings.noMeasured')),
        ),
      ),
    ),
  );
}
