import en from './lang/en.js';
import zh from './lang/zh.js';

/** One dictionary per language; English fills any gap. The choice persists in localStorage. */
const DICTIONARIES = { en, zh };
const KEY = 'quietwatt.lang';

function initial() {
  const saved = localStorage.getItem(KEY);
  if (saved && saved in DICTIONARIES) return saved;
  return (navigator.language || 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let lang = initial();

export function getLang() {
  return lang;
}

export function locale() {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

export function setLang(next) {
  if (!(next in DICTIONARIES)) return;
  lang = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = locale();
}

/** The text under `key`, with `{name}` placeholders filled from `vars`. */
export function t(key, vars) {
  const text = DICTIONARIES[lang][key] ?? DICTIONARIES.en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}
