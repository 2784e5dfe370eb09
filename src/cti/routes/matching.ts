import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { badRequest, decodeCursor, encodeCursor, principalOf, requirePermission } from '../../kernel/http/index.js';
import type { Kernel } from '../../kernel/kernel.js';
import { filteredAlerts } from '../../alerts/index.js';
import { MATCH_ALERT_SOURCE } from '../matching/raise.js';
import { readNdjson, MAX_EVENT_BYTES } from '../matching/security-events.js';
import type { CtiService } from '../service.js';
import { selectObjects, visibleScope } from '../store/queries.js';
import { taxiiVersion } from '../store/rows.js';
import { microsToTimestamp } from '../stix/timestamps.js';

/** Security events in, indicators and their sightings out. */
export const MAX_EVENTS_PER_REQUEST = 100_000;
const NDJSON_BODY_LIMIT = 64 * 1024 * 1024;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const IndicatorSightings = Type.Object({
  indicatorId: Type.String(),
  count: Type.Integer(),
  firstSeen: Nullable(Type.String({ format: 'date-time' })),
  lastSeen: Nullable(Type.String({ format: 'date-time' })),
  sightingId: Nullable(Type.String({ description: "the STIX sighting Vigil keeps of it (your organisation's, TLP:AMBER or stricter)" })),
  alerts: Type.Array(
    Type.Object({
      alertId: Type.String({ format: 'uuid' }),
      title: Type.String(),
      status: Type.String(),
      time: Type.String({ format: 'date-time', description: 'first match of this value' }),
      lastSeen: Type.String({ format: 'date-time' }),
      count: Type.Integer({ description: 'matches of this value folded into the alert' }),
      matched: Type.Array(Type.Object({ field: Nullable(Type.String()), value: Type.String(), stixType: Type.String(), stixPath: Type.Optional(Type.String()) })),
      origin: Nullable(Type.String({ description: 'security-event, alert (its evidence) or retro (the recent past)' })),
    }),
  ),
});

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
        const sources = await importSources(rows.map((r) => r.id), principal.orgId);
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
            labels: Array.isArray(o.labels) ? o.labels : [],
            source: sources.get(r.id) ?? null,
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

    app.get(
      '/cti/indicators/:stixId/sightings',
      {
        schema: {
          tags: ['threat intelligence'],
          summary: "Your organisation's sightings of one indicator: the count, first and last seen, and each alert the matches raised with what matched",
          params: Type.Object({ stixId: Type.String({ pattern: '^indicator--[0-9a-fA-F-]{36}$' }) }, { additionalProperties: false }),
          response: { 200: IndicatorSightings },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const stixId = (request.params as { stixId: string }).stixId.toLowerCase();
        const s = await db.selectFrom('indicator_sightings').selectAll().where('org_id', '=', principal.orgId).where('indicator_stix_id', '=', stixId).executeTakeFirst();
        // Repeats of one value fold into one open alert (dedup key `cti:<indicator>:<values>`): one alert per
        // value matched, each with its own count and times. Only the alerts the caller may see.
        const alerts = await filteredAlerts(db, principal, {})
          .selectAll()
          .where('source', '=', MATCH_ALERT_SOURCE)
          .where('dedup_key', 'like', `cti:${stixId}:%`)
          .orderBy('last_seen', 'desc')
          .limit(200)
          .execute();
        return {
          indicatorId: stixId,
          count: s?.count ?? 0,
          firstSeen: s ? new Date(Number(s.first_seen)).toISOString() : null,
          lastSeen: s ? new Date(Number(s.last_seen)).toISOString() : null,
          sightingId: s?.sighting_stix_id || null,
          alerts: alerts.map((a) => {
            const evidence = JSON.parse(a.evidence) as { matched?: unknown; origin?: { kind?: string } };
            return {
              alertId: a.id,
              title: a.title,
              status: a.status,
              time: new Date(Number(a.time)).toISOString(),
              lastSeen: new Date(Number(a.last_seen)).toISOString(),
              count: a.count,
              matched: Array.isArray(evidence.matched) ? evidence.matched : [],
              origin: evidence.origin?.kind ?? null,
            };
          }),
        };
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

  /**
   * How each row came in (api, cli, misp, taxii, feed, publish, …). A feed's id is named only to the
   * organisation that owns the import; others learn it came from a feed.
   */
  async function importSources(rowIds: string[], orgId: string): Promise<Map<string, { kind: string; feedId?: string }>> {
    if (rowIds.length === 0) return new Map();
    // A second small read rather than one more column on the store's hot path (TAXII pages).
    const rows = await db
      .selectFrom('stix_objects as o')
      .innerJoin('stix_imports as i', 'i.id', 'o.import_id')
      .select(['o.id as rowId', 'i.source', 'i.owner_org_id'])
      .where('o.id', 'in', rowIds)
      .execute();
    return new Map(
      rows.map((r) => {
        const [kind, feedId] = r.source.split(':', 2) as [string, string | undefined];
        return [r.rowId, kind === 'feed' ? (feedId && r.owner_org_id === orgId ? { kind, feedId } : { kind }) : { kind: r.source }];
      }),
    );
  }
}
