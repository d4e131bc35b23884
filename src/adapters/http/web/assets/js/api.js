/**
 * Talks to /api/v1 with the session cookie. The CSRF token lives only in this module's memory
 * (never in storage): a reload fetches it again with GET /api/v1/session.
 */
let csrfToken = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text };
    }
  }
  if (!response.ok && response.status !== 409) throw new ApiError(response.status, data);
  return { status: response.status, data };
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) q.set(k, String(v));
  return q.toString();
}

export async function signIn(token) {
  const { data } = await api('/api/v1/session', { method: 'POST', body: { token } });
  csrfToken = data.csrfToken;
  return data;
}

/** The signed-in identity, or null. */
export async function currentSession() {
  try {
    const { data } = await api('/api/v1/session');
    if (data.csrfToken) csrfToken = data.csrfToken;
    return data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signOut() {
  try {
    await api('/api/v1/session', { method: 'DELETE' });
  } finally {
    csrfToken = null;
  }
}

/** An operator command; resolves to the command response (done, accepted or refused). */
export async function command(action, target, mode) {
  const body = mode ? { action, target, mode } : { action, target };
  const { data } = await api('/api/v1/commands', { method: 'POST', body });
  return data;
}
