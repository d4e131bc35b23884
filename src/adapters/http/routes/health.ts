import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { requireViewer } from '../auth/guard.js';
import type { HttpDeps } from '../deps.js';

export function healthRoutes(
  app: FastifyInstance,
  deps: HttpDeps,
  metrics: { readonly registry: Registry; readonly open: boolean },
): void {
  // No auth and no I/O: the process answers, so it is alive.
  app.get('/livez', async () => ({ status: 'alive' }));

  app.get('/readyz', async (_request, reply) => {
    const result = deps.readiness.check();
    return reply.code(result.ready ? 200 : 503).send(result);
  });

  app.get('/metrics', { preHandler: metrics.open ? [] : requireViewer }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(text);
  });
}
