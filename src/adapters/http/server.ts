import { constants as zlibConstants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Component } from '../../ports/component.js';
import { installIdentity } from './auth/guard.js';
import type { HttpDeps } from './deps.js';
import { installErrorHandlers } from './errors.js';
import type { ServiceMetrics } from './metrics.js';
import { alertsRoutes } from './routes/alerts.js';
import { auditRoutes } from './routes/audit.js';
import { comfortRoutes } from './routes/comfort.js';
import { commandLogRoutes } from './routes/command-log.js';
import { commandRoutes } from './routes/commands.js';
import { configRoutes } from './routes/config.js';
import { healthRoutes } from './routes/health.js';
import { modelsRoutes } from './routes/models.js';
import { savingsRoutes } from './routes/savings.js';
import { sessionRoutes } from './routes/session.js';
import { sitesRoutes } from './routes/sites.js';

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly trustProxy: boolean;
  readonly sessionHours: number;
  readonly secureCookie: boolean;
  readonly signInPerMinute: number;
  readonly metricsOpen: boolean;
  readonly metrics: ServiceMetrics;
  /** pino logger for request errors; requests themselves are not logged (quiet at info). */
  readonly logger?: FastifyBaseLogger;
  /** Static assets and pages (the dashboard and reports), registered after the API. */
  readonly registerWeb?: (app: FastifyInstance) => Promise<void>;
}

/** Builds the app with every route, not listening (tests use `inject`). */
export async function buildHttpApp(deps: HttpDeps, options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.trustProxy,
    bodyLimit: 64 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  // Every answer over 1 KiB is compressed (API JSON, CSV exports, the dashboard's files): a portfolio's
  // status and savings are hundreds of KiB of JSON. zlib runs on the thread pool, not the event loop;
  // brotli at quality 4 keeps its cost near gzip's.
  await app.register(fastifyCompress, {
    global: true,
    encodings: ['br', 'gzip', 'deflate'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  installIdentity(app, deps.access);

  healthRoutes(app, deps, { registry: options.metrics.registry, open: options.metricsOpen });
  sessionRoutes(app, deps, {
    lifetimeMs: options.sessionHours * 3_600_000,
    secureCookie: options.secureCookie,
    signInPerMinute: options.signInPerMinute,
  });
  sitesRoutes(app, deps);
  savingsRoutes(app, deps);
  comfortRoutes(app, deps);
  auditRoutes(app, deps);
  modelsRoutes(app, deps);
  alertsRoutes(app, deps);
  configRoutes(app, deps);
  commandRoutes(app, deps);
  commandLogRoutes(app, deps);
  if (options.registerWeb) await options.registerWeb(app);
  return app;
}

/** The configured HTTP address cannot be taken; the message says which setting to change. */
export class HttpPortError extends Error {
  readonly code = 'QW_ERR_HTTP_PORT';
}

/** The HTTP face as a component: listens on start, closes (ending open requests) on stop. */
export class HttpServer implements Component {
  readonly name = 'http';
  private app: FastifyInstance | undefined;
  private boundPort: number | undefined;

  constructor(
    private readonly deps: HttpDeps,
    private readonly options: HttpServerOptions,
  ) {}

  async start(): Promise<void> {
    const app = await buildHttpApp(this.deps, this.options);
    try {
      await app.listen({ host: this.options.host, port: this.options.port });
    } catch (error) {
      await app.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
        throw new HttpPortError(
          `cannot listen on ${this.options.host}:${this.options.port} for the HTTP API (${code}): ` +
            'another program holds the port, or the address is not this machine; set http.port (or http.enabled: false)',
        );
      throw error;
    }
    const address = app.server.address();
    this.boundPort = typeof address === 'object' && address !== null ? address.port : this.options.port;
    this.app = app;
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    this.options.metrics.stop();
    if (app) await app.close();
  }

  /** `http://host:port` once listening. */
  url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.boundPort ?? this.options.port}`;
  }
}
