import { signIn } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';

/** Sign in once with a token; the server answers with an httpOnly session cookie. */
export function renderSignIn(root, onSignedIn) {
  const input = h('input', {
    type: 'password',
    name: 'token',
    autocomplete: 'off',
    'aria-label': t('signin.token'),
    placeholder: t('signin.token'),
    required: true,
  });
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'signin card', 'data-testid': 'signin' },
    h('h1', {}, t('signin.title')),
    h('p', { class: 'muted small' }, t('signin.help')),
    input,
    h('button', { class: 'primary', type: 'submit' }, t('signin.submit')),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      const session = await signIn(input.value.trim());
      input.value = '';
      onSignedIn(session);
    } catch (error) {
      message.textContent = error.status === 429 ? t('signin.tooMany') : t('signin.wrong');
    }
  });
  replace(root, form);
  input.focus();
}
