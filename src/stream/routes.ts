import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { principalForToken } from '../kernel/auth/index.js';
import { type VigilEvent, lastEventId, readEventsAfter } from '../kernel/events/index.js';
import { type VigilApp, badRequest, bearerToken, principalOf } from '../kernel/http/index.js';
import type { Kernel } from '../kernel/kernel.js';
import { groupsOfOrganisation } from '../kernel/sharing/index.js';
import { type StreamClient, StreamHub, sseFrame } from './hub.js';

/** Bytes a slow client may have waiting before it is dropped (it resumes from the log when it reconnects). */
const MAX_BUFFERED = 4 * 1024 * 1024;
const BACKLOG_BATCH = 500;

/**
 * `GET /api/v1/stream`: Server-Sent Events of every change the caller may see. A client that reconnects
 * with `Last-Event-ID` (or `?lastEventId=`) first receives exactly the visible events it missed, read from
 * the event log (so this holds across server restarts), then live ones.
 */
export function streamRoutes(kernel: Kernel, hub: StreamHub): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;
    app.get(
      '/stream',
      {
        config: { queryToken: true },
        schema: {
          tags: ['stream'],
          summary: 'Live changes as Server-Sent Events (Bearer token, or ?token= for EventSource); resume with Last-Event-ID',
          querystring: Type.Object(
            { token: Type.Optional(Type.String({ maxLength: 200 })), lastEventId: Type.Optional(Type.String({ maxLength: 30 })) },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const viewer = principalOf(request);
        const resumeText = (request.headers['last-event-id'] as string | undefined) ?? request.query.lastEventId;
        let resumeFrom: number | null = null;
        if (resumeText !== undefined && resumeText !== '') {
          resumeFrom = Number(resumeText);
          if (!Number.isSafeInteger(resumeFrom) || resumeFrom < 0) throw badRequest('Last-Event-ID must be the id of an event this stream sent');
        }
        const token = bearerToken(request);

        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
          'X-Accel-Buffering': 'no',
          'X-Content-Type-Options': 'nosniff',
        });
        res.flushHeaders();

        // Live events that arrive while the backlog is being read wait here, so nothing is lost or doubled.
        let pending: VigilEvent[] | null = [];
        let lastSent = 0;
        let closed = false;
        const write = (frame: string): boolean => {
          if (closed) return false;
          res.write(frame);
          return res.writableLength < MAX_BUFFERED;
        };
        const client: StreamClient = {
          viewer,
          deliver(event, frame) {
            if (pending) {
              pending.push(event);
              return true;
            }
            if (event.id <= lastSent) return true;
            lastSent = event.id;
            return write(frame);
          },
          close() {
            if (closed) return;
            closed = true;
            res.end();
          },
        };
        const remove = hub.add(client);
        const heartbeat = setInterval(async () => {
          // A revoked token or an ended session also ends the stream it opened.
          const still = token ? await principalForToken(db, token, kernel.clock()) : null;
          if (!still) client.close();
          else write(': heartbeat\n\n');
        }, kernel.config.sseHeartbeatMs);
        res.on('close', () => {
          closed = true;
          clearInterval(heartbeat);
          remove();
        });

        try {
          if (resumeFrom === null) {
            lastSent = await lastEventId(db);
          } else {
            lastSent = resumeFrom;
            for (;;) {
              const batch = await readEventsAfter(db, viewer, lastSent, BACKLOG_BATCH);
              for (const event of batch) {
                write(sseFrame(event));
                lastSent = event.id;
              }
              if (batch.length < BACKLOG_BATCH || closed) break;
            }
          }
          const waiting = pending;
          pending = null;
          for (const event of waiting) client.deliver(event, sseFrame(event));
          // The first frame after the catch-up: from here on the client is live (tests wait for it).
          write('retry: 2000\n\n');
        } catch (error) {
          request.log.error({ err: error }, 'stream backlog failed');
          client.close();
        }
      },
    );
  };
}

/** Keeps each client's sharing groups current when a group changes (their visibility depends on it). */
export function refreshGroups(kernel: Kernel) {
  return (clients: StreamClient[]): void => {
    for (const client of clients) {
      void groupsOfOrganisation(kernel.store.db, client.viewer.orgId).then((groups) => {
        client.viewer.groupIds = groups;
      });
    }
  };
}
