import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Principal } from '../../kernel/auth/principal.js';
import { Problem, actorFor, badRequest, decodeCursor, encodeCursor, forbidden, notFound, principalOf, requirePermission, unprocessable } from '../../kernel/http/index.js';
import { IdParams, ShareBody } from '../../kernel/http/schemas.js';
import type { Kernel } from '../../kernel/kernel.js';
import { type ShareRequest, type Tlp, distributionOf, labelAllows, readSharing, shareRecord, tlpRank } from '../../kernel/sharing/index.js';
import { tlpOfObject } from '../stix/markings.js';
import { alertAsStix, incidentAsStix } from '../records.js';
import type { CtiService } from '../service.js';
import { advanceCommitOrder, insertOwnObjects, takeCommitOrder } from '../store/commit.js';
import { type ImportResult, REPORT_LIMIT } from '../store/import.js';
import { type StoredRow, getStoredRow, selectObjects, visibleScope } from '../store/queries.js';
import { servedObject, taxiiVersion } from '../store/rows.js';
import { microsToTimestamp, timestampToMicros } from '../stix/timestamps.js';
import { STIX_MEDIA_TYPE } from '../taxii/media-type.js';
import { limitedBody } from '../taxii/server-store.js';
import { type SharingQuery, SharingQueryFields, importSharing } from './sharing-params.js';

/**
 * The STIX store over the Vigil API: import a bundle (streamed), list and read objects, export a bundle, Vigil's
 * alerts and incidents as STIX, and publishing them into the store (so they travel over TAXII).
 */
export const STIX_MAX_BUNDLE_BYTES = 1024 * 1024 * 1024;

const ObjectQuery = Type.Object(
  {
    type: Type.Optional(Type.String({ maxLength: 2000, description: 'comma-separated STIX types' })),
    id: Type.Optional(Type.String({ maxLength: 100_000, description: 'comma-separated STIX ids' })),
    owner: Type.Optional(Type.String({ format: 'uuid' })),
    versions: Type.Optional(Type.Enum(['last', 'all'])),
    addedAfter: Type.Optional(Type.String({ maxLength: 40, description: 'RFC 3339; objects this Vigil received after it' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
type ObjectQueryT = { type?: string; id?: string; owner?: string; versions?: 'last' | 'all'; addedAfter?: string; limit?: number; cursor?: string };

export function stixRoutes(kernel: Kernel, cti: CtiService): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (app) => {
    // The bundle is read as a stream, never as one parsed body: its own scope and body parsers.
    await app.register(async (upload) => {
      upload.removeContentTypeParser('application/json');
      upload.addContentTypeParser(['application/json', 'application/stix+json'], (_request, payload, done) => done(null, payload));
      upload.post(
        '/stix/bundles',
        {
          schema: {
            tags: ['threat intelligence'],
            summary: 'Import a STIX 2.1 bundle (streamed): all or nothing, or only the valid objects with partial=true; the report object by object',
            querystring: Type.Object({ partial: Type.Optional(Type.Boolean({ default: false })), ...SharingQueryFields }, { additionalProperties: false }),
          },
        },
        async (request: FastifyRequest<{ Querystring: SharingQuery & { partial?: boolean } }>, reply) => {
          const principal = requirePermission(request, 'intel:write');
          if (Number(request.headers['content-length'] ?? 0) > STIX_MAX_BUNDLE_BYTES) throw tooLarge();
          const sharing = await importSharing(db, principal, request.query);
          const result = await cti.importStix(limitedBody(request.body as NodeJS.ReadableStream, STIX_MAX_BUNDLE_BYTES, tooLarge), {
            ownerOrgId: principal.orgId,
            actor: actorFor(request),
            viewer: principal,
            source: 'api',
            ...sharing,
            partial: request.query.partial === true,
          });
          if (result.status === 'rejected') throw unprocessable(`The bundle was not imported: ${result.reason}`, importBody(result));
          return reply.code(200).send(importBody(result));
        },
      );
    });

    app.get('/stix/imports/:id', { schema: { tags: ['threat intelligence'], summary: 'An import and its report', params: IdParams } }, async (request) => {
      const principal = principalOf(request);
      const row = await db.selectFrom('stix_imports').selectAll().where('id', '=', (request.params as { id: string }).id).where('owner_org_id', '=', principal.orgId).executeTakeFirst();
      if (!row) throw notFound('import', (request.params as { id: string }).id);
      return {
        id: row.id,
        source: row.source,
        status: row.status,
        requestedAt: microsToTimestamp(Number(row.requested_at)),
        total: row.total,
        stored: row.stored,
        duplicates: row.duplicates,
        invalid: row.invalid,
        narrowed: row.narrowed,
        report: JSON.parse(row.report) as unknown,
      };
    });

    app.get('/stix/objects', { schema: { tags: ['threat intelligence'], summary: 'STIX objects you may see, newest first', querystring: ObjectQuery } }, async (request) => {
      const principal = principalOf(request);
      const q = request.query as ObjectQueryT;
      const cursor = decodeCursor(q.cursor);
      const { rows, more } = await selectObjects(db, { ...selection(principal, q), ...(cursor ? { afterSeq: cursor.k } : {}), limit: q.limit ?? 100, newestFirst: true });
      const items = await described(rows);
      const last = rows[rows.length - 1];
      return { items, nextCursor: more && last ? encodeCursor({ k: last.seq, id: last.id }) : null };
    });

    app.get('/stix/objects/:stixId', { schema: { tags: ['threat intelligence'], summary: 'Every version of one STIX object you may see' } }, async (request) => {
      const principal = principalOf(request);
      const stixId = (request.params as { stixId: string }).stixId;
      const { rows } = await selectObjects(db, { scope: visibleScope(principal), ids: [stixId], versions: [{ kind: 'all' }], limit: 1000 });
      if (rows.length === 0) throw notFound('STIX object', stixId);
      return { items: await described(rows) };
    });

    app.get('/stix/export', { schema: { tags: ['threat intelligence'], summary: 'A STIX 2.1 bundle of what you may see (every version unless versions=last); AMBER or stricter exports are audited', querystring: ObjectQuery } }, async (request, reply) => {
      const principal = principalOf(request);
      const q = request.query as ObjectQueryT;
      const base = selection(principal, { ...q, versions: q.versions ?? 'all' });
      return sendBundle(kernel, request, reply, (async function* () {
        let afterSeq = 0;
        for (;;) {
          const page = await selectObjects(db, { ...base, afterSeq, limit: 1000 });
          if (page.rows.length > 0) yield page.rows;
          if (!page.more) return;
          afterSeq = page.rows[page.rows.length - 1]!.seq;
        }
      })());
    });

    app.get('/alerts/:id/stix', { schema: { tags: ['threat intelligence'], summary: 'An alert as STIX 2.1 (incident with the Incident Core extension, observables, location, identity)', params: IdParams } }, async (request, reply) => {
      const found = await alertAsStix(db, principalOf(request), (request.params as { id: string }).id);
      if (!found) throw notFound('alert', (request.params as { id: string }).id);
      return sendBundle(kernel, request, reply, one(found.objects, found.record.tlp));
    });

    app.get('/incidents/:id/stix', { schema: { tags: ['threat intelligence'], summary: 'An incident as STIX 2.1, with the alerts you may see (derived-from)', params: IdParams } }, async (request, reply) => {
      const found = await incidentAsStix(db, principalOf(request), (request.params as { id: string }).id);
      if (!found) throw notFound('incident', (request.params as { id: string }).id);
      return sendBundle(kernel, request, reply, one(found.objects, found.record.tlp));
    });

    app.post(
      '/stix/objects/:rowId/share',
      {
        schema: {
          tags: ['sharing'],
          summary: 'Change the label and distribution of one stored STIX object version (by its rowId); it is then offered again over TAXII to whoever gained it',
          params: Type.Object({ rowId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
          body: ShareBody,
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'records:share');
        const rowId = (request.params as { rowId: string }).rowId;
        const outcome = await kernel.write(actorFor(request), async (w) => {
          const row = await getStoredRow(w.tx, principal, rowId);
          const current = row ? await readSharing(w.tx, 'stix_objects', rowId) : null;
          if (!row || !current) throw notFound('STIX object', rowId);
          const shared = await shareRecord(w, {
            kind: 'stix-object', table: 'stix_objects', id: rowId, current, request: request.body as ShareRequest,
            record: (sharing) => ({ rowId, stixId: row.stix_id, type: row.type, version: taxiiVersion(row.version, row.date_added), ...sharing }),
          });
          if (!shared.ok) throw unprocessable(shared.reason);
          // A new position in commit order: TAXII clients that page by date see it as newly added where they now may.
          const { lastSeq, lastDateAdded } = await takeCommitOrder(w.tx, kernel.engine);
          const dateAdded = Math.max(w.now * 1000, lastDateAdded + 1);
          await w.tx.updateTable('stix_objects').set({ seq: lastSeq + 1, date_added: dateAdded }).where('id', '=', rowId).execute();
          await advanceCommitOrder(w.tx, lastSeq + 1, dateAdded);
          return shared;
        });
        return { rowId, tlp: outcome.sharing.tlp, distribution: outcome.sharing.distribution };
      },
    );

    app.post(
      '/stix/publish',
      {
        schema: {
          tags: ['threat intelligence'],
          summary: 'Put an alert or incident of your organisation into the STIX store, with its own label and distribution (so it is served over TAXII)',
          body: Type.Object({ alertId: Type.Optional(Type.String({ format: 'uuid' })), incidentId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }),
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'intel:write');
        const body = request.body as { alertId?: string; incidentId?: string };
        if (!body.alertId === !body.incidentId) throw badRequest('Give exactly one of alertId and incidentId');
        const found = body.alertId ? await alertAsStix(db, principal, body.alertId) : await incidentAsStix(db, principal, body.incidentId!);
        if (!found) throw notFound(body.alertId ? 'alert' : 'incident', (body.alertId ?? body.incidentId)!);
        if (found.record.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may publish this record');
        // Parts whose own label forbids the record's distribution (an AMBER+STRICT alert in an AMBER incident) stay
        // with the owner, and so do the relationships that would name them.
        const kept = new Set(found.objects.filter((o) => labelAllows(tlpOfObject(o) ?? found.record.tlp, found.record.distribution).allowed).map((o) => o.id));
        const objects = found.objects.filter((o) => o.type !== 'relationship' || (kept.has(String(o.source_ref)) && kept.has(String(o.target_ref))));
        const stored = await kernel.write(actorFor(request), async (w) => {
          const r = await insertOwnObjects(w, kernel.engine, { ownerOrgId: principal.orgId, objects, tlp: found.record.tlp, distribution: found.record.distribution, source: 'publish' });
          await w.audit({ action: 'stix.publish', targetKind: body.alertId ? 'alert' : 'incident', targetId: found.record.id, details: { objects: found.objects.length, stored: r.stored, tlp: found.record.tlp } });
          return r;
        });
        await cti.enqueue(() => cti.learn());
        return { objects: objects.length, stored: stored.stored, ids: objects.map((o) => o.id) };
      },
    );
  };

  function selection(principal: Principal, q: ObjectQueryT) {
    const list = (text?: string) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
    let addedAfter: number | undefined;
    if (q.addedAfter) {
      addedAfter = timestampToMicros(q.addedAfter);
      if (addedAfter === undefined) throw badRequest('addedAfter must be an RFC 3339 UTC timestamp such as 2026-03-14T10:00:00.000000Z');
    }
    const visible = visibleScope(principal);
    return {
      scope: q.owner ? (alias: string) => sqlAnd(visible(alias), alias, q.owner!) : visible,
      ...(list(q.type) ? { types: list(q.type)! } : {}),
      ...(list(q.id) ? { ids: list(q.id)! } : {}),
      versions: [{ kind: q.versions ?? 'last' }] as Array<{ kind: 'last' | 'all' }>,
      ...(addedAfter !== undefined ? { addedAfter } : {}),
    };
  }

  async function described(rows: StoredRow[]) {
    return rows.map((r) => ({
      rowId: r.id,
      stixId: r.stix_id,
      type: r.type,
      version: taxiiVersion(r.version, r.date_added),
      dateAdded: microsToTimestamp(r.date_added),
      ownerOrgId: r.owner_org_id,
      tlp: r.tlp as Tlp,
      distribution: distributionOf(r.dist_scope, r.dist_group_id, r.dist_orgs),
      revoked: r.revoked === 1,
      object: JSON.parse(servedObject(r)) as unknown,
    }));
  }
}

function sqlAnd(visible: ReturnType<ReturnType<typeof visibleScope>>, alias: string, owner: string) {
  return sql<boolean>`(${visible} and ${sql.ref(`${alias}.owner_org_id`)} = ${owner})` as typeof visible;
}

/** Objects made from a record carry their own TLP markings: they go out as they are. */
async function* one(objects: ReadonlyArray<Record<string, unknown>>, tlp: Tlp): AsyncGenerator<Array<Pick<StoredRow, 'object' | 'tlp' | 'marked_tlp'>>> {
  yield objects.map((o) => ({ object: JSON.stringify(o), tlp, marked_tlp: tlp }));
}

function tooLarge(): Problem {
  return new Problem(413, `A bundle may be at most ${STIX_MAX_BUNDLE_BYTES} bytes; split it`);
}

export function importBody(result: ImportResult) {
  return {
    importId: result.id,
    status: result.status,
    total: result.total,
    stored: result.stored,
    duplicates: result.duplicates,
    invalid: result.invalid,
    narrowed: result.narrowed,
    /** What was stored or already held (id and version), the first REPORT_LIMIT; null past STATUS_LIST_LIMIT objects. */
    accepted: result.status === 'complete' ? (result.successes?.slice(0, REPORT_LIMIT) ?? null) : [],
    report: result.report,
  };
}

/**
 * Streams a STIX bundle; when anything labelled AMBER or stricter left, the export is audited with the count per
 * label (the kernel's NDJSON export does the same).
 */
function sendBundle(kernel: Kernel, request: FastifyRequest, reply: FastifyReply, pages: AsyncIterable<Array<Pick<StoredRow, 'object' | 'tlp' | 'marked_tlp'>>>): FastifyReply {
  const actor = actorFor(request);
  const perLabel: Partial<Record<Tlp, number>> = {};
  async function* text(): AsyncGenerator<string> {
    let first = true;
    try {
      yield `{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[`;
      for await (const page of pages) {
        let chunk = '';
        for (const row of page) {
          perLabel[row.tlp as Tlp] = (perLabel[row.tlp as Tlp] ?? 0) + 1;
          chunk += (first ? '' : ',') + servedObject(row);
          first = false;
        }
        if (chunk) yield chunk;
      }
      yield ']}';
    } finally {
      if ((Object.keys(perLabel) as Tlp[]).some((tlp) => tlpRank(tlp) >= tlpRank('amber'))) {
        await kernel.write(actor, (w) => w.audit({ action: 'stix.export', targetKind: 'stix-object', details: { objects: perLabel, url: request.url.split('?')[0], query: request.query } }));
      }
    }
  }
  return reply.type(STIX_MEDIA_TYPE).header('Content-Disposition', 'attachment; filename="vigil-stix-bundle.json"').send(Readable.from(text()));
}
