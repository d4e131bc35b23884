/**
 * The config as the API may show it. Credentials already live in environment variables named by
 * the file; what could still carry a secret is a URL: its user:password part, and query strings
 * (webhooks such as WeCom's and DingTalk's put their key there).
 */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const SECRET_KEY = /(password|secret|apikey|api_key)$/i;

export function redactUrlText(text: string): string {
  if (!URL_LIKE.test(text)) return text;
  let out = text.replace(/\/\/[^@/?#]*@/, '//***@');
  out = out.replace(/\?[^#]*/, (q) =>
    q.replace(/([?&][^=&#]*)=([^&#]*)/g, (_m, key: string) => `${key}=***`),
  );
  return out;
}

export function redactConfig(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) ? '***' : redactUrlText(value);
  if (Array.isArray(value)) return value.map((v) => redactConfig(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  }
  return value;
}
