import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { auditEntryOf } from '../kernel/audit/index.js';
import { type VigilApp, asPage, decodeCursor, requirePermission, sliceOf } from '../kernel/http/index.js';
import type { Kernel } from '../kernel/kernel.js';

const AuditEntry = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  orgId: Type.Union([Type.String(), Type.Null()]),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorTokenId: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetKind: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Object({}, { additionalProperties: true }),
  hash: Type.String(),
});

const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    action: Type.Optional(Type.String({ maxLength: 100, description: 'exact action, e.g. login.failed, alert.share' })),
  },
  { additionalProperties: false },
);

/** `GET /api/v1/audit`: an organisation admin reads its own organisation's entries, newest first. */
export function auditRoutes(kernel: Kernel): FastifyPluginAsync {
  return async (plain) => {
    const app = plain as VigilApp;
    app.get(
      '/audit',
      { schema: { tags: ['audit'], summary: "Your organisation's audit log, newest first (admins)", querystring: AuditQuery, response: { 200: Type.Object({ items: Type.Array(AuditEntry), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } } },
      async (request) => {
        const principal = requirePermission(request, 'org:admin');
        const limit = request.query.limit ?? 100;
        const cursor = decodeCursor(request.query.cursor);
        let q = kernel.store.db.selectFrom('audit_log').selectAll().where('org_id', '=', principal.orgId);
        if (request.query.action) q = q.where('action', '=', request.query.action);
        if (cursor) q = q.where('seq', '<', cursor.k);
        const rows = await q.orderBy('seq', 'desc').limit(limit + 1).execute();
        const slice = sliceOf(rows, limit, (r) => ({ k: Number(r.seq), id: String(r.seq) }));
        return asPage({
          items: slice.items.map((row) => {
            const e = auditEntryOf(row);
            return { ...e, at: new Date(e.at).toISOString(), details: JSON.parse(e.details) as Record<string, unknown> };
          }),
          next: slice.next,
        });
      },
    );
  };
}
