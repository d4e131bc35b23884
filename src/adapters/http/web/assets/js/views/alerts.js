import { api, query } from '../api.js';
import { h } from '../dom.js';
import { when } from '../format.js';
import { t } from '../i18n.js';

/** The open alerts of a site, or of one of its spaces. */
export async function alertsSection(siteId, spaceId) {
  const { data } = await api(`/api/v1/alerts?${query({ site: siteId, space: spaceId })}`);
  const alerts = data.alerts;
  return h(
    'section',
    { 'data-testid': 'alerts' },
    h('h2', {}, t('alerts.title')),
    alerts.length === 0
      ? h('p', { class: 'muted' }, t('alerts.none'))
      : h(
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
                h('th', {}, t('alerts.severity')),
                h('th', {}, t('alerts.what')),
                h('th', { class: 'hide-narrow' }, t('alerts.where')),
                h('th', {}, t('alerts.since')),
              ),
            ),
            h(
              'tbody',
              {},
              alerts.map((a) =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('span', { class: `badge ${a.severity}` }, t(`severity.${a.severity}`))),
                  h(
                    'td',
                    {},
                    h('div', {}, t(`alertKind.${a.kind}`)),
                    h('div', { class: 'small muted' }, a.message),
                  ),
                  h('td', { class: 'hide-narrow' }, [a.siteId, a.spaceId].filter(Boolean).join(' / ')),
                  h('td', {}, when(a.since)),
                ),
              ),
            ),
          ),
        ),
  );
}
