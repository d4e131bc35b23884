import { ApiError, command } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** Shows a command's answer in words: done, still running, or refused and why. */
function showResult(target, response) {
  target.className = `result ${response.status}`;
  target.textContent = [t(`command.${response.status}`), response.reason, ...(response.details ?? [])]
    .filter(Boolean)
    .join(' · ');
}

function actionButton(label, run, result, testId, onDone) {
  const button = h('button', { type: 'button', 'data-testid': testId }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    result.className = 'result';
    result.textContent = t('command.sending');
    try {
      const response = await run();
      showResult(result, response);
      if (response.status === 'done' && onDone) await onDone();
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      showResult(result, {
        status: 'refused',
        reason: status === 403 ? t('command.forbidden') : (error.message ?? String(error)),
      });
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/**
 * Operator actions on one space. Only shown to operators; the server checks the role anyway.
 * `onDone` refreshes what the action changed (the mode shown).
 */
export function spaceActions(session, siteId, spaceId, onDone) {
  if (session.role !== 'operator') return h('p', { class: 'muted small' }, t('actions.viewerNote'));
  const target = { siteId, spaceId };
  const result = h('p', { class: 'result', 'data-testid': 'action-result', role: 'status' });
  return h(
    'section',
    { class: 'card', 'data-testid': 'space-actions' },
    h('h3', {}, t('actions.title')),
    h(
      'div',
      { class: 'actions' },
      ['off', 'shadow', 'active'].map((mode) =>
        actionButton(
          t(`actions.setMode.${mode}`),
          () => command('set-mode', target, mode),
          result,
          `set-mode-${mode}`,
          onDone,
        ),
      ),
      actionButton(t('actions.resetMode'), () => command('reset-mode', target), result, 'reset-mode', onDone),
      actionButton(t('actions.commission'), () => command('commission', target), result, 'commission'),
      actionButton(
        t('actions.clearOverride'),
        () => command('clear-override', target),
        result,
        'clear-override',
      ),
    ),
    result,
  );
}

/** Release every device of the service to its own schedule, or resume control. */
export function siteActions(session, siteId) {
  if (session.role !== 'operator') return null;
  const result = h('p', { class: 'result', 'data-testid': 'site-action-result', role: 'status' });
  return h(
    'section',
    { class: 'card', 'data-testid': 'site-actions' },
    h('h3', {}, t('actions.title')),
    h(
      'div',
      { class: 'actions' },
      actionButton(t('actions.release'), () => command('release', {}), result, 'release'),
      actionButton(t('actions.resume'), () => command('resume', {}), result, 'resume'),
      actionButton(
        t('actions.commissionAll'),
        () => command('commission', { siteId }),
        result,
        'commission-all',
      ),
    ),
    result,
  );
}
