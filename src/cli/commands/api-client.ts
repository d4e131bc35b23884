import type { CommandOutput } from '../output.js';
import { type OperatorValues, stringOption } from './broker-command.js';

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';
export const TOKEN_ENV = 'QUIETWATT_TOKEN';

/** Options every API command shares, for its usage text. */
export const API_OPTIONS_USAGE = `  --url URL       the running service (default: QUIETWATT_URL, else ${DEFAULT_API_URL})
  --token TOKEN   access token (default: the ${TOKEN_ENV} environment variable)`;

export const API_OPTIONS = { url: { type: 'string' }, token: { type: 'string' } } as const;

export interface ApiAnswer {
  readonly status: number;
  readonly body: string;
}

/** GETs on the service's HTTP API with a bearer token, so commands work against a container too. */
export interface ApiClient {
  readonly url: string;
  get(path: string, accept?: string): Promise<ApiAnswer>;
  /** GET and parse JSON; a non-200 answer or an unreachable service is an error with plain words. */
  json(path: string): Promise<unknown>;
}

export class ApiCommandError extends Error {}

/** The client from --url and --token (or the environment); undefined after printing what is missing. */
export function apiClientFrom(
  values: OperatorValues,
  env: Readonly<Record<string, string | undefined>>,
  out: CommandOutput,
  fetchImpl: typeof fetch = fetch,
): ApiClient | undefined {
  const url = (stringOption(values, 'url') ?? env.QUIETWATT_URL ?? DEFAULT_API_URL).replace(/\/+$/, '');
  const token = stringOption(values, 'token') ?? env[TOKEN_ENV];
  if (!/^https?:\/\/[^\s]+$/.test(url)) {
    out.error(`--url: expected http://host:port or https://host:port, got ${JSON.stringify(url)}`);
    return undefined;
  }
  if (token === undefined || token === '') {
    out.error(
      `no access token: pass --token TOKEN or set ${TOKEN_ENV} (the demo writes its tokens to <storage.dir>/tokens.txt)`,
    );
    return undefined;
  }
  const get = async (path: string, accept = 'application/json'): Promise<ApiAnswer> => {
    let res: Response;
    try {
      res = await fetchImpl(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, accept } });
    } catch (error) {
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new ApiCommandError(`cannot reach the service at ${url} (${cause}); is it running? (--url)`);
    }
    return { status: res.status, body: await res.text() };
  };
  return {
    url,
    get,
    json: async (path) => {
      const res = await get(path);
      if (res.status !== 200) throw new ApiCommandError(describeFailure(res, path));
      try {
        return JSON.parse(res.body) as unknown;
      } catch {
        throw new ApiCommandError(`${path}: the service did not answer with JSON`);
      }
    },
  };
}

/** A refused request in words: the status, and the service's own message when it sent one. */
export function describeFailure(res: ApiAnswer, path: string): string {
  let message = '';
  try {
    const body = JSON.parse(res.body) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    const text = /<p>([^<]*)<\/p>/.exec(res.body)?.[1];
    if (text)
      message = text
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
  }
  const what =
    res.status === 401
      ? 'the token was not accepted'
      : res.status === 403
        ? 'this token may not see that'
        : res.status === 404
          ? 'not found'
          : `HTTP ${res.status}`;
  return `${path}: ${what}${message ? ` (${message})` : ''}`;
}
