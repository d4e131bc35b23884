import { h } from '../dom.js';
import { co2, kwh, methodWords, money, pct } from '../format.js';
import { t } from '../i18n.js';

/**
 * One savings figure: avoided kWh, %, money and CO2 with the method and interval in words. A figure
 * with non-routine flags shows the flags instead of numbers; shadow estimates read "would have saved".
 */
export function figureBlock(figure, testId) {
  const shadow = figure.kind === 'estimated';
  if (figure.nonRoutine.length > 0) {
    return h(
      'div',
      { class: 'figure', 'data-testid': testId, 'data-kind': figure.kind },
      h('p', { class: 'flag' }, t('savings.nonRoutine')),
      h(
        'ul',
        { class: 'small' },
        figure.nonRoutine.map((flag) => h('li', {}, flag)),
      ),
    );
  }
  return h(
    'div',
    {
      class: 'figure',
      'data-testid': testId,
      'data-kind': figure.kind,
      'data-method': figure.method,
      'data-avoided-kwh': String(figure.avoidedKWh),
    },
    shadow ? h('p', { class: 'small muted' }, t('savings.wouldHave')) : null,
    h('div', { class: 'big', 'data-testid': `${testId}-kwh` }, kwh(figure.avoidedKWh)),
    h(
      'div',
      { class: 'figure-row' },
      h('span', { 'data-testid': `${testId}-pct` }, pct(figure.avoidedShare)),
      h('span', { 'data-testid': `${testId}-money` }, money(figure.cost, figure.currency)),
      h('span', { 'data-testid': `${testId}-co2` }, co2(figure.co2Kg)),
      figure.provisional ? h('span', { class: 'badge provisional' }, t('savings.provisional')) : null,
    ),
    h('p', { class: 'small muted', 'data-testid': `${testId}-method` }, methodWords(figure)),
  );
}

/** A card per kind: measured first, shadow estimates apart. */
export function savingsCard(title, groups, testId) {
  const measured = groups.filter((g) => g.kind === 'measured');
  const estimated = groups.filter((g) => g.kind === 'estimated');
  return h(
    'section',
    { class: 'card', 'data-testid': testId },
    h('h3', {}, title),
    measured.length === 0 ? h('p', { class: 'muted' }, t('savings.noMeasured')) : null,
    measured.map((g, i) => figureBlock(g, i === 0 ? `${testId}-measured` : `${testId}-measured-${i}`)),
    estimated.length > 0
      ? h(
          'div',
          { class: 'card shadow' },
          h('h3', {}, t('savings.shadowTitle')),
          estimated.map((g, i) =>
            figureBlock(g, i === 0 ? `${testId}-estimated` : `${testId}-estimated-${i}`),
          ),
        )
      : null,
  );
}
