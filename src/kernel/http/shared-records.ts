import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Principal } from '../auth/principal.js';
import type { Queryable } from '../db/connection.js';
import type { Kernel } from '../kernel.js';
import { parseBBox, type BBox } from '../geo.js';
import {
  type Distribution,
  type SharedTable,
  type Sharing,
  type Tlp,
  checkInitialSharing,
  defaultsFromSettings,
  loadSharingWorld,
  readSharing,
  shareRecord,
} from '../sharing/index.js';
import { decodeCursor, type Position } from './cursor.js';
import { actorFor, requirePermission } from './guard.js';
import { badRequest, notFound, unprocessable } from './problem.js';
import { IdParams, ShareBody } from './schemas.js';
import type { VigilApp } from './app.js';

/**
 * What the routes of every shared record kind have in common: the sharing a new record starts with,
 * the share endpoint, and the list parameters. Written once so every kind behaves the same.
 */
export async function initialSharing(db: Queryable, principal: Principal, requested: { tlp?: Tlp; distribution?: Distribution }): Promise<Sharing> {
  const org = await db.selectFrom('organisations').select('settings').where('id', '=', principal.orgId).executeTakeFirstOrThrow();
  const defaults = defaultsFromSettings(JSON.parse(org.settings));
  const sharing: Sharing = {
    ownerOrgId: principal.orgId,
    tlp: requested.tlp ?? defaults.tlp,
    distribution: requested.distribution ?? (requested.tlp ? { scope: 'owner' } : defaults.distribution),
  };
  const decision = checkInitialSharing(sharing, principal.orgId, await loadSharingWorld(db));
  if (!decision.allowed) throw unprocessable(decision.reason);
  return sharing;
}

/** Registers `POST /<path>/:id/share` for one kind of shared record. */
export function shareRoute<R extends { tlp: Tlp }>(
  app: VigilApp,
  kernel: Kernel,
  options: {
    kind: string;
    table: SharedTable;
    path: string;
    response: ReturnType<typeof Type.Object>;
    load: (db: Queryable, viewer: Principal, id: string) => Promise<R | null>;
  },
): void {
  app.post(
    `${options.path}/:id/share`,
    {
      schema: {
        tags: ['sharing'],
        summary: `Change the TLP label and distribution of a ${options.kind} (the policy decides; the reason is given when refused)`,
        params: IdParams,
        body: ShareBody,
        response: { 200: options.response },
      },
    },
    async (request: FastifyRequest<{ Params: { id: string }; Body: { tlp?: Tlp; distribution: Distribution } }>) => {
      const principal = requirePermission(request, 'records:share');
      const id = request.params.id;
      return kernel.write(actorFor(request), async (w) => {
        const before = await options.load(w.tx, principal, id);
        const current = before ? await readSharing(w.tx, options.table, id) : null;
        if (!before || !current) throw notFound(options.kind, id);
        const outcome = await shareRecord(w, {
          kind: options.kind,
          table: options.table,
          id,
          current,
          request: request.body,
          record: (sharing) => ({ ...before, tlp: sharing.tlp, distribution: sharing.distribution }),
        });
        if (!outcome.ok) throw unprocessable(outcome.reason);
        return (await options.load(w.tx, principal, id)) ?? { ...before, tlp: outcome.sharing.tlp, distribution: outcome.sharing.distribution };
      });
    },
  );
}

/** The list parameters every kind accepts, parsed and checked. */
export interface CommonListQuery {
  limit: number;
  cursor: Position | null;
  from?: number;
  to?: number;
  bbox?: BBox;
  owner?: string;
  q?: string;
}

export async function commonListQuery(
  db: Queryable,
  query: { limit?: number; cursor?: string; from?: string; to?: string; bbox?: string; owner?: string; q?: string },
): Promise<CommonListQuery> {
  const result: CommonListQuery = { limit: query.limit ?? 100, cursor: decodeCursor(query.cursor) };
  if (query.from) result.from = Date.parse(query.from);
  if (query.to) result.to = Date.parse(query.to);
  if (result.from !== undefined && result.to !== undefined && result.from > result.to) throw badRequest('"from" is after "to"');
  if (query.bbox) {
    const bbox = parseBBox(query.bbox);
    if (!bbox) throw badRequest('bbox must be minLon,minLat,maxLon,maxLat in WGS 84 degrees, with min ≤ max');
    result.bbox = bbox;
  }
  if (query.owner) {
    const org = await db
      .selectFrom('organisations')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', query.owner!), eb('slug', '=', query.owner!)]))
      .executeTakeFirst();
    // An unknown owner simply matches nothing: the answer is an empty list, as for any other filter.
    result.owner = org?.id ?? '00000000-0000-0000-0000-000000000000';
  }
  if (query.q?.trim()) result.q = query.q.trim();
  return result;
}
