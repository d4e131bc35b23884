import { api, currentSession, signOut } from './api.js';
import { h, replace } from './dom.js';
import { getLang, setLang, t } from './i18n.js';
import { renderPortfolio } from './views/portfolio.js';
import { renderSignIn } from './views/signin.js';
import { renderSite } from './views/site.js';
import { renderSpace } from './views/space.js';

const root = document.getElementById('app');
const who = document.getElementById('who');
const nav = document.getElementById('nav');
const langSelect = document.getElementById('lang');
let session = null;

function renderHeader() {
  document.title = t('app.title');
  langSelect.value = getLang();
  replace(nav, session ? h('a', { href: '#/' }, t('nav.overview')) : null);
  if (!session) {
    replace(who);
    return;
  }
  const out = h('button', { type: 'button', 'data-testid': 'signout' }, t('nav.signOut'));
  out.addEventListener('click', async () => {
    await signOut();
    session = null;
    void route();
  });
  replace(
    who,
    h(
      'span',
      { class: 'small muted', 'data-testid': 'who' },
      `${session.name} · ${t(`role.${session.role}`)} `,
    ),
    out,
  );
}

let routeSeq = 0;

/**
 * `#/`, `#/site/<id>`, `#/site/<id>/space/<id>`. Each view renders into a fresh element that
 * replaces the page only if no later navigation started meanwhile, so a slow page never covers a
 * newer one.
 */
async function route() {
  const seq = ++routeSeq;
  const current = () => seq === routeSeq;
  renderHeader();
  if (!session) {
    renderSignIn(root, (s) => {
      session = s;
      void route();
    });
    return;
  }
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const view = h('div');
  root.setAttribute('aria-busy', 'true');
  try {
    if (parts[0] === 'site' && parts[1] && parts[2] === 'space' && parts[3])
      await renderSpace(view, session, parts[1], parts[3]);
    else if (parts[0] === 'site' && parts[1]) await renderSite(view, session, parts[1]);
    else {
      const { data } = await api('/api/v1/sites');
      if (data.sites.length === 1) await renderSite(view, session, data.sites[0].id);
      else await renderPortfolio(view, data.sites);
    }
    if (current()) replace(root, view);
  } catch (error) {
    if (!current()) return;
    if (error.status === 401) {
      session = null;
      void route();
      return;
    }
    replace(
      root,
      h('p', { class: 'error', role: 'alert' }, t('error.load'), ' ', error.message ?? String(error)),
    );
  } finally {
    if (current()) root.setAttribute('aria-busy', 'false');
  }
}

langSelect.addEventListener('change', () => {
  setLang(langSelect.value);
  void route();
});
window.addEventListener('hashchange', () => void route());

setLang(getLang());
session = await currentSession();
void route();
