import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { alertSchemas } from '../alerts/index.js';
import { invisibleAssets } from '../assets/index.js';
import { type VigilApp, Problem, actorFor, badRequest, conflict, forbidden, notFound, principalOf, requirePermission, unprocessable } from '../kernel/http/index.js';
import { IdParams, PageOf } from '../kernel/http/schemas.js';
import type { Kernel } from '../kernel/kernel.js';
import { type Rejection, shorten } from './model.js';
import { IngestBusyError, IngestClosedError } from './pipeline.js';
import { alarmsOfDatastream } from './alarms.js';
import { datastreamOf, getDatastreamRow, insertDatastream, listDatastreams, readRejections } from './queries.js';
import * as S from './schemas.js';
import { countReadings, planSeries, readSeries } from './series.js';
import type { Ingestion } from './service.js';

const NDJSON = 'application/x-ndjson';
/** How long an HTTP sender is held while storage is behind before it is told to retry (503). */
const HOLD_MS = 15_000;

export function ingestRoutes(kernel: Kernel, ingestion: Ingestion): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (plain) => {
    const app = plain as VigilApp;
    // NDJSON is split per line in the handler, so one bad line is one refused reading, not a refused body.
    app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_request, body, done) => done(null, body));

    app.get('/datastreams', { schema: { tags: ['ingestion'], summary: 'Datastreams you may see (those of assets you see), optionally of one asset', querystring: S.DatastreamQuery, response: { 200: PageOf(S.Datastream) } } }, async (request) => {
      const q = request.query;
      let afterSid: number | undefined;
      if (q.cursor) {
        afterSid = Number(Buffer.from(q.cursor, 'base64url').toString('utf8'));
        if (!Number.isSafeInteger(afterSid)) throw badRequest('The cursor is not one this server issued: pass back the nextCursor of the previous page unchanged');
      }
      const page = await listDatastreams(db, principalOf(request), { ...(q.asset ? { assetId: q.asset } : {}), ...(afterSid !== undefined ? { afterSid } : {}) }, q.limit ?? 100);
      return { items: page.items, nextCursor: page.lastSid === null ? null : Buffer.from(String(page.lastSid)).toString('base64url') };
    });

    app.get('/datastreams/:id', { schema: { tags: ['ingestion'], summary: 'One datastream', params: IdParams, response: { 200: S.Datastream } } }, async (request) => {
      const row = await getDatastreamRow(db, principalOf(request), request.params.id);
      if (!row) throw notFound('datastream', request.params.id);
      return datastreamOf(row);
    });

    app.post('/datastreams', { schema: { tags: ['ingestion'], summary: "Create a datastream (a sensor or SCADA tag) on one of your organisation's assets", body: S.NewDatastream, response: { 201: S.Datastream } } }, async (request, reply) => {
      const principal = requirePermission(request, 'records:write');
      const body = request.body;
      const assetId = body.assetId ?? null;
      if (assetId) {
        if ((await invisibleAssets(db, principal, [assetId])).length > 0) throw unprocessable(`No asset with id ${assetId} exists`);
        const owner = await db.selectFrom('assets').select('owner_org_id').where('id', '=', assetId).executeTakeFirstOrThrow();
        if (owner.owner_org_id !== principal.orgId) throw forbidden("A datastream can only be put on your own organisation's assets");
      }
      if (body.expectedRange && !(body.expectedRange.min < body.expectedRange.max)) throw badRequest('expectedRange.min must be smaller than expectedRange.max');
      const taken = await db.selectFrom('datastreams').select('id').where('org_id', '=', principal.orgId).where('key', '=', body.key).executeTakeFirst();
      if (taken) throw conflict(`Your organisation already has a datastream "${body.key}"`, { existingId: taken.id });
      const row = await kernel.write(actorFor(request), (w) =>
        insertDatastream(w, { orgId: principal.orgId, key: body.key, kind: body.kind, unit: body.unit ?? '', assetId, expectedRange: body.expectedRange ?? null }),
      );
      ingestion.pipeline.forget(principal.orgId, body.key);
      return reply.code(201).send(datastreamOf(row));
    });

    app.get(
      '/datastreams/:id/observations',
      { schema: { tags: ['ingestion'], summary: 'A datastream’s readings for a chart: raw, or per-minute/per-hour min, max, mean and count (auto: a few hundred points)', params: IdParams, querystring: S.SeriesQuery, response: { 200: S.Series } } },
      async (request) => {
        const viewer = principalOf(request);
        const row = await getDatastreamRow(db, viewer, request.params.id);
        if (!row) throw notFound('datastream', request.params.id);
        const now = kernel.clock();
        const to = request.query.to ? Date.parse(request.query.to) : now;
        const from = request.query.from ? Date.parse(request.query.from) : to - 86_400_000;
        if (!(from < to)) throw badRequest('"from" must be before "to"');
        const c = kernel.config.ingest;
        const requested = request.query.resolution ?? 'auto';
        const rawCount = requested === 'auto' ? await countReadings(db, viewer, row.id, from, to) : 0;
        const plan = planSeries({ from, to }, requested, {
          rawCount,
          rawHorizon: now - c.rawRetentionDays * 86_400_000,
          minuteHorizon: now - c.minuteRetentionDays * 86_400_000,
        });
        const series = await readSeries(db, viewer, row.id, from, to, plan);
        return { datastreamId: row.id, resolution: plan.resolution, bucketSeconds: plan.bucketMs / 1000, truncated: series.truncated, points: series.points };
      },
    );

    app.get(
      '/datastreams/:id/alerts',
      {
        schema: {
          tags: ['ingestion'],
          summary: 'A datastream’s alarms: the alerts you may see whose evidence names it, overlapping the time range (default the last 24 h), newest first',
          params: IdParams,
          querystring: S.AlarmQuery,
          response: { 200: Type.Object({ items: Type.Array(alertSchemas.Alert), truncated: Type.Boolean({ description: 'more alerts overlap the range than `limit`' }) }) },
        },
      },
      async (request) => {
        const viewer = principalOf(request);
        const row = await getDatastreamRow(db, viewer, request.params.id);
        if (!row) throw notFound('datastream', request.params.id);
        const to = request.query.to ? Date.parse(request.query.to) : kernel.clock();
        const from = request.query.from ? Date.parse(request.query.from) : to - 86_400_000;
        if (!(from < to)) throw badRequest('"from" must be before "to"');
        return alarmsOfDatastream(db, viewer, row, from, to, request.query.limit ?? 200);
      },
    );

    app.post(
      '/observations',
      {
        bodyLimit: Math.max(kernel.config.bodyLimit, 8 * 1024 * 1024),
        schema: {
          tags: ['ingestion'],
          summary: 'Send readings: a JSON array, or NDJSON (application/x-ndjson), of {stream, t, v, q?}; answered once they are stored',
          body: Type.Unknown({ description: 'JSON array of {stream, t (ISO 8601 or epoch ms), v (number or boolean), q? (good|uncertain|bad)}, or NDJSON of the same' }),
          querystring: S.ObservationsQuery,
          response: { 200: S.IngestResult },
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const { items, rejects } = readingsOf(request);
        try {
          return await ingestion.pipeline.submit(
            { orgId: principal.orgId, actor: actorFor(request), source: request.query.source ?? 'http', items: items.map((item) => ({ stream: (item as { stream?: unknown } | null)?.stream, item })), rejects },
            { maxWaitMs: HOLD_MS },
          );
        } catch (error) {
          if (error instanceof IngestBusyError) throw new Problem(503, 'Vigil is storing readings more slowly than they arrive; nothing of this request was stored: send it again shortly', { retryAfterSeconds: 2 });
          if (error instanceof IngestClosedError) throw new Problem(503, 'Vigil is shutting down; nothing of this request was stored: send it again shortly');
          throw error;
        }
      },
    );

    app.get('/ingest/rejections', { schema: { tags: ['ingestion'], summary: "Your organisation's refused readings: counts per reason and the most recent ones", querystring: Type.Object({ recent: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 50 })) }, { additionalProperties: false }), response: { 200: S.Rejections } } }, async (request) => {
      const principal = requirePermission(request, 'records:write');
      return readRejectionsOf(ingestion, principal.orgId, request.query.recent ?? 50);
    });

    app.get('/ingest/health', { schema: { tags: ['ingestion'], summary: "Your organisation's ingestion: rates, refusals per reason, queue, MQTT paths (admins)" } }, async (request) => {
      const principal = requirePermission(request, 'org:admin');
      const [streams, rejections] = await Promise.all([
        db.selectFrom('datastreams').select((eb) => eb.fn.countAll<number>().as('n')).where('org_id', '=', principal.orgId).executeTakeFirstOrThrow(),
        readRejectionsOf(ingestion, principal.orgId, 10),
      ]);
      return {
        organisation: principal.orgSlug,
        datastreams: Number(streams.n),
        ...ingestion.stats.health(principal.orgId),
        rejectedTotal: Object.fromEntries(rejections.counts.map((c) => [c.reason, c.count])),
        recentRejections: rejections.recent,
        queue: { waiting: ingestion.pipeline.depth, limit: kernel.config.ingest.queueLimit },
        paths: [{ name: 'http', state: 'running', detail: 'POST /api/v1/observations' }, ...ingestion.paths.values()],
        topic: `vigil/${principal.orgSlug}/<datastream key>`,
      };
    });
  };
}

async function readRejectionsOf(ingestion: Ingestion, orgId: string, recent: number) {
  return readRejections(ingestion.kernel.store.db, orgId, recent);
}

/** The readings of a request: a JSON array, or NDJSON where each bad line is refused on its own. */
function readingsOf(request: FastifyRequest): { items: unknown[]; rejects: Rejection[] } {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === NDJSON) {
    const items: unknown[] = [];
    const rejects: Rejection[] = [];
    const text = typeof request.body === 'string' ? request.body : '';
    let line = 0;
    for (const raw of text.split('\n')) {
      line += 1;
      const l = raw.trim();
      if (!l) continue;
      try {
        items.push(JSON.parse(l));
      } catch {
        rejects.push({ reason: 'malformed', detail: `line ${line} is not JSON`, payload: shorten(l) });
      }
    }
    return { items, rejects };
  }
  if (!Array.isArray(request.body)) throw badRequest('Send a JSON array of readings {stream, t, v, q?}, or NDJSON with Content-Type application/x-ndjson');
  return { items: request.body, rejects: [] };
}
