import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseReportMonth } from '../../../domain/reporting/month-period.js';
import { esc } from './escape.js';
import { type ApiGet, ApiRefusal, loadReport } from './report-data.js';
import { reportHtml } from './report-html.js';

const Params = z.object({
  siteId: z.string().min(1).max(100),
  month: z.string().refine((m) => parseReportMonth(m) !== undefined, { message: 'expected a month YYYY-MM' }),
});
const Query = z.object({ lang: z.enum(['en', 'zh']).default('en') }).strict();

function errorPage(reply: FastifyReply, status: number, message: string): FastifyReply {
  const hint = status === 401 ? ' <a href="/">Sign in</a> / <a href="/">登录</a>' : '';
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><title>${status}</title></head><body><p>${esc(message)}</p><p>${hint}</p></body></html>`,
    );
}

function badRequest(reply: FastifyReply, where: string, error: z.ZodError, raw: unknown): FastifyReply {
  const issue = error.issues[0];
  const name = String(issue?.path[0] ?? '');
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[name] : undefined;
  return errorPage(
    reply,
    400,
    `${where} "${name}": ${issue?.message ?? 'invalid'}, got ${JSON.stringify(value ?? null)}`,
  );
}

/** A GET on this server's API carrying the caller's own credentials, so its auth and scoping apply. */
function apiAs(app: FastifyInstance, request: FastifyRequest): ApiGet {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.headers.authorization) headers.authorization = request.headers.authorization;
  if (request.headers.cookie) headers.cookie = request.headers.cookie;
  return async (path) => {
    const res = await app.inject({ method: 'GET', url: path, headers });
    return { status: res.statusCode, body: res.body };
  };
}

/**
 * GET /report/:siteId/:month?lang=en|zh: the monthly report of a community, printable (A4), in
 * English or Chinese. Built from the API's own answers, so it shows what the API and dashboard show.
 */
export function registerReportPage(app: FastifyInstance, nowMs: () => number = Date.now): void {
  app.get('/report/:siteId/:month', async (request, reply) => {
    const params = Params.safeParse(request.params);
    if (!params.success) return badRequest(reply, 'path parameter', params.error, request.params);
    const query = Query.safeParse(request.query);
    if (!query.success) return badRequest(reply, 'query parameter', query.error, request.query);
    const month = parseReportMonth(params.data.month);
    if (!month) return errorPage(reply, 400, 'path parameter "month": expected a month YYYY-MM');
    try {
      const data = await loadReport(apiAs(app, request), {
        siteId: params.data.siteId,
        month,
        lang: query.data.lang,
        nowMs: nowMs(),
      });
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(reportHtml(data));
    } catch (error) {
      if (error instanceof ApiRefusal) return errorPage(reply, error.status, error.message);
      throw error;
    }
  });
}
