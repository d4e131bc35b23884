import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Every error the API answers with has a code, a status and a message; docs/http-api.md lists them. */
export const HTTP_ERRORS = {
  QW_HTTP_BAD_QUERY: { status: 400, error: 'Bad Request' },
  QW_HTTP_UNAUTHENTICATED: { status: 401, error: 'Unauthorized' },
  QW_HTTP_FORBIDDEN: { status: 403, error: 'Forbidden' },
  QW_HTTP_CSRF: { status: 403, error: 'Forbidden' },
  QW_HTTP_NOT_FOUND: { status: 404, error: 'Not Found' },
  QW_HTTP_RATE_LIMITED: { status: 429, error: 'Too Many Requests' },
  QW_HTTP_INTERNAL: { status: 500, error: 'Internal Server Error' },
  QW_HTTP_NOT_READY: { status: 503, error: 'Service Unavailable' },
} as const;
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

export class HttpError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
  ) {
    super(message);
    this.statusCode = HTTP_ERRORS[code].status;
  }
}

export function errorBody(code: HttpErrorCode, message: string) {
  const { status, error } = HTTP_ERRORS[code];
  return { statusCode: status, code, error, message };
}

const CONTEXT_WORD: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'body field',
  headers: 'header',
};

/** The raw value at a JSON pointer path such as `/target/siteId`. */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split('/').filter((p) => p !== '')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** `query parameter "granularity": Invalid option: expected one of ..., got "week"` */
function validationMessage(error: FastifyError, request: FastifyRequest): string {
  const context = error.validationContext ?? 'body';
  const source: unknown =
    context === 'querystring'
      ? request.query
      : context === 'params'
        ? request.params
        : context === 'headers'
          ? request.headers
          : request.body;
  const parts = (error.validation ?? []).map((v) => {
    const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const value = path === '' ? source : valueAt(source, v.instancePath);
    const got = value === undefined ? 'missing' : `got ${JSON.stringify(value)}`;
    return `${CONTEXT_WORD[context] ?? context} "${path || '(whole)'}": ${v.message ?? 'invalid'}, ${got}`;
  });
  return parts.join('; ') || error.message;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation) {
      return reply.code(400).send(errorBody('QW_HTTP_BAD_QUERY', validationMessage(error, request)));
    }
    if (error instanceof HttpError)
      return reply.code(error.statusCode).send(errorBody(error.code, error.message));
    if (error.statusCode === 429)
      return reply
        .code(429)
        .send(errorBody('QW_HTTP_RATE_LIMITED', 'too many sign-in attempts; wait a minute'));
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      // Malformed JSON, wrong content type, body too large: the client's fault, say so plainly.
      return reply.code(error.statusCode).send({
        statusCode: error.statusCode,
        code: error.code ?? 'QW_HTTP_BAD_REQUEST',
        error: 'Bad Request',
        message: error.message,
      });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('QW_HTTP_INTERNAL', 'internal error; see the service log'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('QW_HTTP_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
