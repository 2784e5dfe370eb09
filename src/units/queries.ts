import { type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Queryable } from '../kernel/db/connection.js';
import { after, textMatches } from '../kernel/db/list.js';
import type { Database } from '../kernel/db/schema.js';
import { type EventAudience, audienceOf } from '../kernel/events/index.js';
import { type Position, type Slice, sliceOf } from '../kernel/http/cursor.js';
import { newId } from '../kernel/ids.js';
import type { Write } from '../kernel/kernel.js';
import {
  type Sharing,
  type Viewer,
  audience,
  loadSharingWorld,
  sharingColumns,
  sharingOf,
  visibleTo,
} from '../kernel/sharing/index.js';
import type { ProfileName } from '../routing/index.js';
import type { Assignment, Unit, UnitFilters, UnitPosition, UnitStatus } from './model.js';

type UnitRow = Database['units'];

function filtered(db: Queryable, viewer: Viewer, f: UnitFilters): SelectQueryBuilder<Database, 'units', {}> {
  let q = db.selectFrom('units').where(visibleTo(viewer, 'units'));
  if (f.type?.length) q = q.where('type', 'in', f.type);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.owner) q = q.where('owner_org_id', '=', f.owner);
  if (f.incidentId) q = q.where('incident_id', '=', f.incidentId);
  if (f.ids?.length) q = q.where('units.id', 'in', f.ids);
  if (f.q) q = q.where(textMatches(['units.name', 'units.type'], f.q));
  if (f.bbox) {
    const b = f.bbox;
    q = q.where('pos_lon', '>=', b.minLon).where('pos_lon', '<=', b.maxLon).where('pos_lat', '>=', b.minLat).where('pos_lat', '<=', b.maxLat);
  }
  if (f.dispatchableBy) {
    const org = f.dispatchableBy;
    q = q.where(
      sql<SqlBool>`(units.owner_org_id = ${org} or exists (select 1 from unit_dispatchers ud where ud.unit_id = units.id and ud.org_id = ${org}))`,
    );
  }
  return q;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

function positionOfRow(row: UnitRow): UnitPosition | null {
  if (row.pos_lon === null || row.pos_lat === null || row.pos_at === null) return null;
  return { lon: row.pos_lon, lat: row.pos_lat, at: iso(row.pos_at)!, headingDeg: row.pos_heading, speedKmh: row.pos_speed, accuracyM: row.pos_accuracy };
}

/**
 * Units as `viewer` sees them. Parts follow their own sharing: the assignment (incident, route) only when the
 * viewer may see the incident too, the home station only when the viewer may see that asset.
 */
async function toUnits(db: Queryable, viewer: Viewer, rows: UnitRow[]): Promise<Unit[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const incidentIds = [...new Set(rows.map((r) => r.incident_id).filter((x): x is string => x !== null))];
  const stationIds = [...new Set(rows.map((r) => r.home_station_id).filter((x): x is string => x !== null))];
  const [dispatchers, incidents, stations] = await Promise.all([
    db.selectFrom('unit_dispatchers').select(['unit_id', 'org_id']).where('unit_id', 'in', ids).orderBy('org_id').execute(),
    incidentIds.length
      ? db.selectFrom('incidents').select('id').where('id', 'in', incidentIds).where(visibleTo(viewer, 'incidents')).execute()
      : Promise.resolve([]),
    stationIds.length ? db.selectFrom('assets').select('id').where('id', 'in', stationIds).where(visibleTo(viewer, 'assets')).execute() : Promise.resolve([]),
  ]);
  const seenIncidents = new Set(incidents.map((i) => i.id));
  const seenStations = new Set(stations.map((s) => s.id));
  return rows.map((row) => {
    const sharing = sharingOf(row);
    return {
      id: row.id,
      name: row.name,
      type: row.type,
      status: row.status as UnitStatus,
      profile: row.profile as ProfileName,
      homeStationId: row.home_station_id && seenStations.has(row.home_station_id) ? row.home_station_id : null,
      position: positionOfRow(row),
      assignment: row.incident_id && row.assignment && seenIncidents.has(row.incident_id) ? (JSON.parse(row.assignment) as Assignment) : null,
      dispatcherOrgIds: dispatchers.filter((d) => d.unit_id === row.id).map((d) => d.org_id),
      attributes: JSON.parse(row.attributes) as Record<string, unknown>,
      ownerOrgId: sharing.ownerOrgId,
      tlp: sharing.tlp,
      distribution: sharing.distribution,
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      version: row.version,
    };
  });
}

const cursorOf = (row: UnitRow): Position => ({ k: Number(row.created_at), id: row.id });

export async function listUnits(db: Queryable, viewer: Viewer, f: UnitFilters, limit: number, cursor: Position | null): Promise<Slice<Unit>> {
  const rows = await filtered(db, viewer, f)
    .selectAll()
    .where(after('units.created_at', 'units.id', cursor))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const slice = sliceOf(rows, limit, cursorOf);
  return { items: await toUnits(db, viewer, slice.items), next: slice.next };
}

export async function countUnits(db: Queryable, viewer: Viewer, f: UnitFilters): Promise<number> {
  const row = await filtered(db, viewer, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getUnit(db: Queryable, viewer: Viewer, id: string): Promise<Unit | null> {
  const row = await filtered(db, viewer, {}).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ((await toUnits(db, viewer, [row]))[0] ?? null) : null;
}

/** Every unit `viewer` may see and its organisation may dispatch (any status), for the dispatch ranking. */
export async function dispatchableUnits(db: Queryable, viewer: Viewer & { orgId: string }, types: string[] | undefined, limit = 5000): Promise<Unit[]> {
  const rows = await filtered(db, viewer, { dispatchableBy: viewer.orgId, ...(types?.length ? { type: types } : {}) })
    .selectAll()
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
  return toUnits(db, viewer, rows);
}

/** May `orgId` dispatch this unit? (The caller has checked the unit is visible to it.) */
export function mayDispatch(unit: Pick<Unit, 'ownerOrgId' | 'dispatcherOrgIds'>, orgId: string): boolean {
  return unit.ownerOrgId === orgId || unit.dispatcherOrgIds.includes(orgId);
}

/** A unit as every member of its audience may see it: its assignment follows the incident's sharing and travels apart. */
export function withoutAssignment(unit: Unit): Omit<Unit, 'assignment'> {
  const { assignment: _hidden, ...rest } = unit;
  return rest;
}

/**
 * The organisations that may see both records: where an event that tells of both (a unit sent to an incident,
 * with its route) may go. Public only when both are.
 */
export async function sharedAudience(db: Queryable, a: Sharing, b: Sharing): Promise<EventAudience> {
  const world = await loadSharingWorld(db);
  const first = audience(a, world);
  const second = audience(b, world);
  if (first === 'everyone' && second === 'everyone') return { ownerOrgId: null, distribution: { scope: 'public' } };
  const orgs = first === 'everyone' ? [...(second as ReadonlySet<string>)] : [...first].filter((o) => second === 'everyone' || second.has(o));
  return { ownerOrgId: null, distribution: { scope: 'orgs', orgIds: orgs.sort() } };
}

export interface UnitInput {
  name: string;
  type: string;
  profile: ProfileName;
  status: UnitStatus;
  homeStationId: string | null;
  dispatcherOrgIds: string[];
  attributes: Record<string, unknown>;
  position: { lon: number; lat: number; at: number } | null;
}

async function writeDispatchers(w: Write, unitId: string, orgIds: string[]): Promise<void> {
  await w.tx.deleteFrom('unit_dispatchers').where('unit_id', '=', unitId).execute();
  if (orgIds.length > 0) await w.tx.insertInto('unit_dispatchers').values(orgIds.map((org_id) => ({ unit_id: unitId, org_id }))).execute();
}

async function emitUnit(w: Write, viewer: Viewer, id: string, type: string): Promise<Unit> {
  const unit = (await getUnit(w.tx, viewer, id))!;
  await w.emit({ type, recordKind: 'unit', recordId: id, actorOrgId: w.actor.orgId, audience: audienceOf(unit), data: withoutAssignment(unit) });
  return unit;
}

export async function insertUnit(w: Write, viewer: Viewer, input: UnitInput, sharing: Sharing): Promise<Unit> {
  const id = newId(w.now);
  await w.tx
    .insertInto('units')
    .values({
      id,
      ...sharingColumns(sharing),
      name: input.name,
      type: input.type,
      status: input.status,
      profile: input.profile,
      home_station_id: input.homeStationId,
      pos_lon: input.position?.lon ?? null,
      pos_lat: input.position?.lat ?? null,
      pos_at: input.position?.at ?? null,
      pos_heading: null,
      pos_speed: null,
      pos_accuracy: null,
      incident_id: null,
      assignment: null,
      attributes: JSON.stringify(input.attributes),
      created_at: w.now,
      updated_at: w.now,
      version: 1,
    })
    .execute();
  await writeDispatchers(w, id, input.dispatcherOrgIds);
  await w.audit({ action: 'unit.create', targetKind: 'unit', targetId: id, details: { name: input.name, type: input.type, tlp: sharing.tlp } });
  return emitUnit(w, viewer, id, 'unit.created');
}

export type UnitChange = Partial<Pick<UnitInput, 'name' | 'type' | 'profile' | 'homeStationId' | 'dispatcherOrgIds' | 'attributes'>>;

export async function updateUnit(w: Write, viewer: Viewer, current: Unit, change: UnitChange): Promise<Unit> {
  const set: Partial<UnitRow> = { updated_at: w.now, version: current.version + 1 };
  if (change.name !== undefined) set.name = change.name;
  if (change.type !== undefined) set.type = change.type;
  if (change.profile !== undefined) set.profile = change.profile;
  if (change.homeStationId !== undefined) set.home_station_id = change.homeStationId;
  if (change.attributes !== undefined) set.attributes = JSON.stringify(change.attributes);
  await w.tx.updateTable('units').set(set).where('id', '=', current.id).execute();
  if (change.dispatcherOrgIds !== undefined) await writeDispatchers(w, current.id, change.dispatcherOrgIds);
  await w.audit({ action: 'unit.update', targetKind: 'unit', targetId: current.id, details: { fields: Object.keys(change) } });
  return emitUnit(w, viewer, current.id, 'unit.updated');
}

/** The raw row of a unit, whatever the viewer (for the write paths that have already checked visibility). */
export async function unitRow(db: Queryable, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Stores a new status and assignment (null clears it), emits `unit.updated`, audits. */
export async function writeUnitState(
  w: Write,
  viewer: Viewer,
  current: Pick<Unit, 'id' | 'version' | 'status'>,
  status: UnitStatus,
  assignment: Assignment | null,
  audit: { action: string; details: Record<string, unknown> },
): Promise<Unit> {
  await w.tx
    .updateTable('units')
    .set({
      status,
      incident_id: assignment?.incidentId ?? null,
      assignment: assignment ? JSON.stringify(assignment) : null,
      updated_at: w.now,
      version: current.version + 1,
    })
    .where('id', '=', current.id)
    .execute();
  await w.audit({ action: audit.action, targetKind: 'unit', targetId: current.id, details: { from: current.status, to: status, ...audit.details } });
  return emitUnit(w, viewer, current.id, 'unit.updated');
}

/** Stores a checked position (newer than the one on record) and tells the unit's audience. */
export async function writePosition(w: Write, unit: Pick<UnitRow, 'id' | 'status' | 'type'> & Sharing, position: { lon: number; lat: number; at: number; headingDeg: number | null; speedKmh: number | null; accuracyM: number | null }): Promise<void> {
  await w.tx
    .updateTable('units')
    .set({ pos_lon: position.lon, pos_lat: position.lat, pos_at: position.at, pos_heading: position.headingDeg, pos_speed: position.speedKmh, pos_accuracy: position.accuracyM })
    .where('id', '=', unit.id)
    .execute();
  // Positions are telemetry: they go on the event log (the live map reads it) but not on the audit log.
  await w.emit({
    type: 'unit.position',
    recordKind: 'unit',
    recordId: unit.id,
    actorOrgId: w.actor.orgId,
    audience: audienceOf(unit),
    data: {
      id: unit.id,
      type: unit.type,
      status: unit.status,
      position: { lon: position.lon, lat: position.lat, at: new Date(position.at).toISOString(), headingDeg: position.headingDeg, speedKmh: position.speedKmh, accuracyM: position.accuracyM },
    },
  });
}

/** Rows (with sharing) of the units among `ids` that `viewer` may see, for position reports. */
export async function visibleUnitRows(db: Queryable, viewer: Viewer, ids: string[]): Promise<Map<string, UnitRow & Sharing>> {
  const rows = ids.length ? await filtered(db, viewer, { ids }).selectAll().execute() : [];
  return new Map(rows.map((r) => [r.id, { ...r, ...sharingOf(r) }]));
}
