import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { Problem, type VigilApp } from '../kernel/http/index.js';
import type { Kernel } from '../kernel/kernel.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Paths that belong to the server, never to the web application's client-side routes. */
const SERVER_PATHS = /^\/(api|taxii2|healthz|static)(\/|$)/;

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Vigil</title>
<body style="font-family:sans-serif;background:#10151c;color:#e8edf2;padding:2rem">
<h1>Vigil</h1><p>The web application has not been built. Run <code>npm start</code> (it builds it),
or <code>npm run build:web</code>. The API is at <a style="color:#9cf" href="/api/v1/docs">/api/v1/docs</a>.</p>`;

/**
 * Serves the web application (web/dist, built by Vite): hashed files under /static/ (pre-compressed,
 * cached for good), and index.html for every other path that is not the server's, so the application's
 * own routes (/incidents/…, /assets/…) survive a reload. Registered after the API.
 */
export function webRoutes(kernel: Kernel, options: { dist?: string } = {}): FastifyPluginAsync {
  const dist = options.dist ?? WEB_DIST;
  return async (plain) => {
    const app = plain as VigilApp;
    const staticDir = path.join(dist, 'static');
    if (fs.existsSync(staticDir)) {
      await app.register(fastifyStatic, { root: staticDir, prefix: '/static/', preCompressed: true, immutable: true, maxAge: '365d', index: false, decorateReply: false });
    } else {
      kernel.log.warn({ dist }, 'the web application is not built (npm run build:web); only the API is served');
    }

    let index: string | null = null;
    const indexHtml = (): string | null => {
      const file = path.join(dist, 'index.html');
      // Read once in production; a rebuild while running is picked up on the next start.
      if (index === null && fs.existsSync(file)) index = fs.readFileSync(file, 'utf8');
      return index;
    };

    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const pathname = request.url.split('?')[0] ?? '/';
      if (SERVER_PATHS.test(pathname)) throw new Problem(404, `Nothing is served at ${request.method} ${pathname}`);
      const html = indexHtml();
      reply.header('Cache-Control', 'no-cache');
      return reply.type('text/html; charset=utf-8').send(html ?? NOT_BUILT);
    });
  };
}
