import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type VigilApp, notFound } from '../kernel/http/index.js';
import type { Kernel } from '../kernel/kernel.js';
import { atomFeed, CAP_MEDIA_TYPE } from './atom.js';
import { feedWarnings, publishedMessage } from './queries.js';
import { feedOf, type WarningSettings } from './settings.js';

export const ATOM_MEDIA_TYPE = 'application/atom+xml';
const FEED_STATUSES = ['Actual', 'Exercise'] as const;
/** Feed readers poll; a minute of caching keeps a crowd of them off the database without delaying a warning much. */
const FEED_MAX_AGE_SECONDS = 60;

/**
 * The public face of published warnings (TLP:CLEAR, no authentication), outside /api/v1:
 * - GET /public/cap/<identifier>.xml: one published CAP message, the stored bytes, cacheable for ever (a
 *   published message never changes; the next one has its own identifier);
 * - GET /public/cap/feed.atom: the Atom feed of current warnings.
 * Only published messages exist here: a draft or a message awaiting approval has no row to serve.
 */
export function publicWarningRoutes(kernel: Kernel, settings: WarningSettings): FastifyPluginAsync {
  const db = kernel.store.db;
  const feed = feedOf(settings);

  /** Readable from any site (public warnings are meant to be relayed), and never sniffed. */
  function publicHeaders(reply: FastifyReply): void {
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Access-Control-Expose-Headers', 'ETag, Last-Modified');
  }

  function notModified(request: FastifyRequest, etag: string): boolean {
    const header = request.headers['if-none-match'];
    if (!header) return false;
    return header.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}` || tag.trim() === '*');
  }

  return async (plain) => {
    const app = plain as VigilApp;
    // The kernel marks responses same-origin; these are for everyone.
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
      return payload;
    });

    app.get(
      '/public/cap/feed.atom',
      { config: { public: true }, schema: { tags: ['public warnings'], summary: 'Atom feed (RFC 4287) of the warnings in force; no authentication', security: [] } },
      async (request, reply) => {
        const now = kernel.clock();
        const { warnings, updated } = await feedWarnings(db, now, FEED_STATUSES);
        const xml = atomFeed(warnings, feed, new Date(now), { updated });
        const etag = `"${createHash('sha256').update(xml).digest('base64url').slice(0, 32)}"`;
        publicHeaders(reply);
        reply.header('ETag', etag);
        reply.header('Cache-Control', `public, max-age=${FEED_MAX_AGE_SECONDS}`);
        if (updated > 0) reply.header('Last-Modified', new Date(updated).toUTCString());
        if (notModified(request, etag)) return reply.code(304).send();
        return reply.type(`${ATOM_MEDIA_TYPE}; charset=utf-8`).send(xml);
      },
    );

    app.get(
      '/public/cap/:file',
      {
        config: { public: true },
        schema: {
          tags: ['public warnings'],
          summary: 'One published CAP 1.2 message, exactly as published; no authentication',
          security: [],
          params: Type.Object({ file: Type.String({ maxLength: 300, description: '<identifier>.xml' }) }, { additionalProperties: false }),
        },
      },
      async (request, reply) => {
        const file = request.params.file;
        if (!file.endsWith('.xml')) throw notFound('published CAP message', file);
        const identifier = file.slice(0, -'.xml'.length);
        const message = await publishedMessage(db, identifier);
        if (!message) throw notFound('published CAP message', identifier);
        const etag = `"${message.sha256}"`;
        publicHeaders(reply);
        reply.header('ETag', etag);
        reply.header('Cache-Control', 'public, max-age=31536000, immutable');
        reply.header('Last-Modified', new Date(message.publishedAt).toUTCString());
        if (notModified(request, etag)) return reply.code(304).send();
        return reply.type(`${CAP_MEDIA_TYPE}; charset=utf-8`).send(message.xml);
      },
    );
  };
}
