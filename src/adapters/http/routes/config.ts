import type { FastifyInstance } from 'fastify';
import { requireViewer } from '../auth/guard.js';
import type { HttpDeps } from '../deps.js';
import { redactConfig } from '../redact.js';

export function configRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/api/v1/config', { preHandler: requireViewer }, async () => {
    const refused = deps.config.lastRefused();
    return {
      file: deps.config.file,
      loadedAt: new Date(deps.config.loadedAt()).toISOString(),
      config: redactConfig(deps.config.current()),
      lastRefusedReload: refused
        ? { at: new Date(refused.atMs).toISOString(), errors: refused.errors.map((e) => ({ ...e })) }
        : null,
    };
  });
}
