import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { badRequest, decodeCursor, encodeCursor, principalOf, requirePermission } from '../../kernel/http/index.js';
import type { Kernel } from '../../kernel/kernel.js';
import { readNdjson, MAX_EVENT_BYTES } from '../matching/security-events.js';
import type { CtiService } from '../service.js';
import { selectObjects, visibleScope } from '../store/queries.js';
import { taxiiVersion } from '../store/rows.js';
import { microsToTimestamp } from '../stix/timestamps.js';

/** Security events in, indicators and their sightings out. */
export const MAX_EVENTS_PER_REQUEST = 100_000;
const NDJSON_BODY_LIMIT = 64 * 1024 * 1024;

export function matchingRoutes(kernel: Kernel, cti: CtiService): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (app) => {
    app.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: NDJSON_BODY_LIMIT }, (_request, body, done) => done(null, body));

    app.post(
      '/security-events',
      {
        bodyLimit: NDJSON_BODY_LIMIT,
        schema: {
          tags: ['threat intelligence'],
          summary:
            'Security events of your organisation (a JSON object, an array, or NDJSON): matched against the indicators you may see; a match raises a cyber alert and a STIX sighting',
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const body = request.body as unknown;
        let items: Array<{ index: number; event: Record<string, unknown> }> = [];
        let rejected: Array<{ index: number; reason: string }> = [];
        if (typeof body === 'string') ({ events: items, rejected } = readNdjson(body));
        else if (Array.isArray(body)) {
          body.forEach((event, index) => {
            if (event && typeof event === 'object' && !Array.isArray(event)) items.push({ index, event: event as Record<string, unknown> });
            else rejected.push({ index, reason: 'not a JSON object' });
          });
        } else if (body && typeof body === 'object') items = [{ index: 0, event: body as Record<string, unknown> }];
        else throw badRequest('Send a JSON object (one event), an array of events, or NDJSON (application/x-ndjson)');
        if (items.length + rejected.length > MAX_EVENTS_PER_REQUEST) throw badRequest(`At most ${MAX_EVENTS_PER_REQUEST} events per request`);
        const accepted = items.filter(({ index, event }) => {
          const size = JSON.stringify(event).length;
          if (size <= MAX_EVENT_BYTES) return true;
          rejected.push({ index, reason: `event larger than ${MAX_EVENT_BYTES} bytes` });
          return false;
        });
        const result = await cti.ingestEvents(principal.orgId, accepted.map((i) => i.event));
        return reply.code(202).send({ ...result, rejected: rejected.sort((a, b) => a.index - b.index) });
      },
    );

    app.get(
      '/cti/indicators',
      {
        schema: {
          tags: ['threat intelligence'],
          summary: 'Indicators you may see (latest versions, newest first), with how often your organisation sighted each',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })), cursor: Type.Optional(Type.String({ maxLength: 512 })) }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const q = request.query as { limit?: number; cursor?: string };
        const cursor = decodeCursor(q.cursor);
        const { rows, more } = await selectObjects(db, { scope: visibleScope(principal), types: ['indicator'], ...(cursor ? { afterSeq: cursor.k } : {}), limit: q.limit ?? 100, newestFirst: true });
        const ids = [...new Set(rows.map((r) => r.stix_id))];
        const sightings = ids.length
          ? await db.selectFrom('indicator_sightings').selectAll().where('org_id', '=', principal.orgId).where('indicator_stix_id', 'in', ids).execute()
          : [];
        const items = rows.map((r) => {
          const o = JSON.parse(r.object) as Record<string, unknown>;
          const s = sightings.find((x) => x.indicator_stix_id === r.stix_id);
          return {
            rowId: r.id,
            stixId: r.stix_id,
            name: o.name ?? null,
            pattern: o.pattern,
            patternType: o.pattern_type,
            validFrom: o.valid_from ?? null,
            validUntil: o.valid_until ?? null,
            version: taxiiVersion(r.version, r.date_added),
            revoked: r.revoked === 1,
            ownerOrgId: r.owner_org_id,
            tlp: r.tlp,
            dateAdded: microsToTimestamp(r.date_added),
            matchable: cti.index.indicator(r.id) !== undefined,
            refusedBecause: cti.index.refused.get(r.id) ?? null,
            sightings: s
              ? { count: s.count, firstSeen: new Date(Number(s.first_seen)).toISOString(), lastSeen: new Date(Number(s.last_seen)).toISOString(), alertId: s.alert_id, sightingId: s.sighting_stix_id }
              : { count: 0 },
          };
        });
        const last = rows[rows.length - 1];
        return { items, nextCursor: more && last ? encodeCursor({ k: last.seq, id: last.id }) : null };
      },
    );

    app.get('/cti/sightings', { schema: { tags: ['threat intelligence'], summary: "Your organisation's sightings of indicators, most recent first" } }, async (request) => {
      const principal = principalOf(request);
      const rows = await db.selectFrom('indicator_sightings').selectAll().where('org_id', '=', principal.orgId).orderBy('last_seen', 'desc').limit(1000).execute();
      return {
        items: rows.map((s) => ({
          indicatorId: s.indicator_stix_id,
          count: s.count,
          firstSeen: new Date(Number(s.first_seen)).toISOString(),
          lastSeen: new Date(Number(s.last_seen)).toISOString(),
          alertId: s.alert_id,
          sightingId: s.sighting_stix_id,
        })),
      };
    });

  };
}
