import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { registerReportPage } from '../pages/report-route.js';

const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

/** uPlot's browser build and its stylesheet, exactly as the package ships them. */
function uplotFiles(): { js: Buffer; css: Buffer } {
  const require = createRequire(import.meta.url);
  const dist = fileURLToPath(new URL('.', `file://${require.resolve('uplot/dist/uPlot.iife.min.js')}`));
  return {
    js: readFileSync(`${dist}uPlot.iife.min.js`),
    css: readFileSync(`${dist}uPlot.min.css`),
  };
}

/**
 * The dashboard (plain ES modules and CSS, no build step: a fresh clone serves it as it is) and the
 * monthly report page. Static files hold no data, so they need no auth; every figure comes from the
 * /api/v1 routes, which check the caller. The app compresses them (server.ts).
 */
export async function registerWeb(app: FastifyInstance): Promise<void> {
  await app.register(webPlugin);
}

const webPlugin: FastifyPluginAsync = async (scope) => {
  await scope.register(fastifyStatic, {
    root: ASSETS_DIR,
    prefix: '/web/',
    index: false,
    decorateReply: false,
    cacheControl: true,
    maxAge: 0,
  });
  const index = readFileSync(`${ASSETS_DIR}index.html`);
  scope.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index),
  );
  const uplot = uplotFiles();
  scope.get('/vendor/uplot/uPlot.iife.min.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=86400').send(uplot.js),
  );
  scope.get('/vendor/uplot/uPlot.min.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=86400').send(uplot.css),
  );
  registerReportPage(scope);
};
