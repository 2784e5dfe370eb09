import { type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Queryable } from '../kernel/db/connection.js';
import { after, textMatches } from '../kernel/db/list.js';
import type { Database } from '../kernel/db/schema.js';
import { audienceOf } from '../kernel/events/index.js';
import { type BBox, type Geometry, bboxOf } from '../kernel/geo.js';
import { type Position, type Slice, sliceOf } from '../kernel/http/cursor.js';
import type { Write } from '../kernel/kernel.js';
import { type Distribution, type Sharing, type Tlp, type Viewer, sharingColumns, sharingOf, visibleTo } from '../kernel/sharing/index.js';
import { closureFromGeometry, type ClosureGeometry, type RoadClosure } from './closures.js';

type ClosureRow = Database['road_closures'];

/** Where a closure stands at a given moment: not yet, in force, or over (ended by hand or by its end time). */
export const CLOSURE_STATUSES = ['scheduled', 'active', 'ended'] as const;
export type ClosureStatus = (typeof CLOSURE_STATUSES)[number];

export interface ClosureRecord {
  id: string;
  reason: string;
  geometry: Geometry;
  startsAt: string;
  endsAt: string | null;
  endedAt: string | null;
  status: ClosureStatus;
  incidentId: string | null;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ClosureFilters {
  status?: ClosureStatus[];
  incidentId?: string;
  owner?: string;
  bbox?: BBox;
  q?: string;
}

function statusCondition(status: ClosureStatus, now: number): RawBuilder<SqlBool> {
  switch (status) {
    case 'scheduled':
      return sql<SqlBool>`(starts_at > ${now} and (ends_at is null or ends_at > ${now}))`;
    case 'active':
      return sql<SqlBool>`(starts_at <= ${now} and (ends_at is null or ends_at > ${now}))`;
    case 'ended':
      return sql<SqlBool>`(ends_at is not null and ends_at <= ${now})`;
  }
}

function filtered(db: Queryable, viewer: Viewer, f: ClosureFilters, now: number): SelectQueryBuilder<Database, 'road_closures', {}> {
  let q = db.selectFrom('road_closures').where(visibleTo(viewer, 'road_closures'));
  if (f.status?.length) q = q.where(sql<SqlBool>`(${sql.join(f.status.map((s) => statusCondition(s, now)), sql` or `)})`);
  if (f.incidentId) q = q.where('incident_id', '=', f.incidentId);
  if (f.owner) q = q.where('owner_org_id', '=', f.owner);
  if (f.q) q = q.where(textMatches(['road_closures.reason'], f.q));
  if (f.bbox) {
    const b = f.bbox;
    q = q.where('max_lon', '>=', b.minLon).where('min_lon', '<=', b.maxLon).where('max_lat', '>=', b.minLat).where('min_lat', '<=', b.maxLat);
  }
  return q;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export function closureStatus(row: Pick<ClosureRow, 'starts_at' | 'ends_at'>, now: number): ClosureStatus {
  if (row.ends_at !== null && Number(row.ends_at) <= now) return 'ended';
  return Number(row.starts_at) > now ? 'scheduled' : 'active';
}

function toClosures(rows: ClosureRow[], now: number): ClosureRecord[] {
  return rows.map((row) => {
    const sharing = sharingOf(row);
    return {
      id: row.id,
      reason: row.reason,
      geometry: JSON.parse(row.geometry) as Geometry,
      startsAt: iso(row.starts_at)!,
      endsAt: iso(row.ends_at),
      endedAt: iso(row.ended_at),
      status: closureStatus(row, now),
      incidentId: row.incident_id,
      ownerOrgId: sharing.ownerOrgId,
      tlp: sharing.tlp,
      distribution: sharing.distribution,
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      version: row.version,
    };
  });
}

const positionOf = (row: ClosureRow): Position => ({ k: Number(row.created_at), id: row.id });

export async function listClosures(db: Queryable, viewer: Viewer, f: ClosureFilters, now: number, limit: number, cursor: Position | null): Promise<Slice<ClosureRecord>> {
  const rows = await filtered(db, viewer, f, now)
    .selectAll()
    .where(after('road_closures.created_at', 'road_closures.id', cursor))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const slice = sliceOf(rows, limit, positionOf);
  return { items: toClosures(slice.items, now), next: slice.next };
}

export async function countClosures(db: Queryable, viewer: Viewer, f: ClosureFilters, now: number): Promise<number> {
  const row = await filtered(db, viewer, f, now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getClosure(db: Queryable, viewer: Viewer, id: string, now: number): Promise<ClosureRecord | null> {
  const row = await filtered(db, viewer, {}, now).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (toClosures([row], now)[0] ?? null) : null;
}

/**
 * The ids of the closures in force at `now` that `viewer` may see: the closures the viewer's routes honour.
 * `exceptIncident` leaves out the closures of one incident (its own responders drive into its cordon).
 */
export async function honouredClosureIds(db: Queryable, viewer: Viewer, now: number, exceptIncident?: string): Promise<Set<string>> {
  let q = filtered(db, viewer, { status: ['active'] }, now).select('id');
  if (exceptIncident) q = q.where((eb) => eb.or([eb('incident_id', 'is', null), eb('incident_id', '!=', exceptIncident)]));
  return new Set((await q.execute()).map((r) => r.id));
}

/** Every closure not yet over, whoever owns it: what the router must hold (it decides per query which to honour). */
export async function closuresToHold(db: Queryable, now: number): Promise<RoadClosure[]> {
  const rows = await db
    .selectFrom('road_closures')
    .select(['id', 'geometry', 'starts_at', 'ends_at'])
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .execute();
  return rows.map((r) => roadClosureOf(r));
}

export function roadClosureOf(row: Pick<ClosureRow, 'id' | 'geometry' | 'starts_at' | 'ends_at'>): RoadClosure {
  return closureFromGeometry(row.id, JSON.parse(row.geometry) as ClosureGeometry, Number(row.starts_at), row.ends_at === null ? null : Number(row.ends_at));
}

export interface ClosureInput {
  id: string;
  reason: string;
  geometry: Geometry;
  startsAt: number;
  endsAt: number | null;
  incidentId: string | null;
}

export async function insertClosure(w: Write, viewer: Viewer, input: ClosureInput, sharing: Sharing, roadsClosed: number | null): Promise<ClosureRecord> {
  const b = bboxOf(input.geometry);
  await w.tx
    .insertInto('road_closures')
    .values({
      id: input.id,
      ...sharingColumns(sharing),
      reason: input.reason,
      geometry: JSON.stringify(input.geometry),
      min_lon: b.minLon,
      min_lat: b.minLat,
      max_lon: b.maxLon,
      max_lat: b.maxLat,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      ended_at: null,
      incident_id: input.incidentId,
      created_at: w.now,
      updated_at: w.now,
      version: 1,
    })
    .execute();
  const closure = (await getClosure(w.tx, viewer, input.id, w.now))!;
  await w.emit({ type: 'closure.created', recordKind: 'closure', recordId: input.id, actorOrgId: w.actor.orgId, audience: audienceOf(sharing), data: { ...closure, roadsClosed } });
  await w.audit({
    action: 'closure.create',
    targetKind: 'closure',
    targetId: input.id,
    details: { reason: input.reason, type: input.geometry.type, incidentId: input.incidentId, startsAt: closure.startsAt, endsAt: closure.endsAt, roadsClosed, tlp: sharing.tlp },
  });
  return closure;
}

/** Ends a closure now: its end time becomes now, so every query from now on ignores it. */
export async function endClosure(w: Write, viewer: Viewer, current: ClosureRecord, note: string | null): Promise<ClosureRecord> {
  await w.tx
    .updateTable('road_closures')
    .set({ ends_at: w.now, ended_at: w.now, updated_at: w.now, version: current.version + 1 })
    .where('id', '=', current.id)
    .execute();
  const closure = (await getClosure(w.tx, viewer, current.id, w.now))!;
  await w.emit({ type: 'closure.updated', recordKind: 'closure', recordId: closure.id, actorOrgId: w.actor.orgId, audience: audienceOf(closure), data: { ...closure, roadsClosed: 0 } });
  await w.audit({ action: 'closure.end', targetKind: 'closure', targetId: closure.id, details: { note, endsAtBefore: current.endsAt } });
  return closure;
}
