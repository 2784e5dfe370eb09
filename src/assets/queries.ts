import type { SelectQueryBuilder } from 'kysely';
import type { Queryable } from '../kernel/db/connection.js';
import type { Database } from '../kernel/db/schema.js';
import { after, textMatches } from '../kernel/db/list.js';
import { audienceOf } from '../kernel/events/index.js';
import { type Geometry, anchorOf, bboxOf } from '../kernel/geo.js';
import { type Position, type Slice, sliceOf } from '../kernel/http/cursor.js';
import { newId } from '../kernel/ids.js';
import type { Write } from '../kernel/kernel.js';
import { type Sharing, type Viewer, sharingColumns, sharingOf, visibleTo } from '../kernel/sharing/index.js';
import type { Asset, AssetFilters, Dependency, DependencyKind } from './model.js';

type AssetRow = Database['assets'];

function filtered(db: Queryable, viewer: Viewer, f: AssetFilters): SelectQueryBuilder<Database, 'assets', {}> {
  let q = db.selectFrom('assets').where(visibleTo(viewer, 'assets'));
  if (f.type?.length) q = q.where('type', 'in', f.type);
  if (f.owner) q = q.where('owner_org_id', '=', f.owner);
  if (f.minCriticality) q = q.where('criticality', '>=', f.minCriticality);
  if (f.ids?.length) q = q.where('id', 'in', f.ids);
  if (f.q) q = q.where(textMatches(['assets.name', 'assets.type'], f.q));
  if (f.bbox) {
    const b = f.bbox;
    q = q.where('max_lon', '>=', b.minLon).where('min_lon', '<=', b.maxLon).where('max_lat', '>=', b.minLat).where('min_lat', '<=', b.maxLat);
  }
  return q;
}

async function toAssets(db: Queryable, viewer: Viewer, rows: AssetRow[]): Promise<Asset[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const links = await db
      .selectFrom('asset_links')
      .innerJoin('assets', 'assets.id', 'asset_links.to_asset_id')
      .select(['asset_links.from_asset_id', 'asset_links.kind', 'asset_links.to_asset_id'])
      .where('asset_links.from_asset_id', 'in', ids)
      // A dependency on an asset the viewer may not see is not shown: its id alone would tell something.
      .where(visibleTo(viewer, 'assets'))
      .orderBy('asset_links.kind')
      .execute();
  return rows.map((row) => {
    const sharing = sharingOf(row);
    return {
      id: row.id,
      name: row.name,
      type: row.type,
      criticality: row.criticality,
      geometry: row.geometry ? (JSON.parse(row.geometry) as Geometry) : null,
      attributes: JSON.parse(row.attributes) as Record<string, unknown>,
      dependencies: links.filter((l) => l.from_asset_id === row.id).map((l) => ({ kind: l.kind as DependencyKind, assetId: l.to_asset_id })),
      ownerOrgId: sharing.ownerOrgId,
      tlp: sharing.tlp,
      distribution: sharing.distribution,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      updatedAt: new Date(Number(row.updated_at)).toISOString(),
      version: row.version,
    };
  });
}

const positionOf = (row: AssetRow): Position => ({ k: Number(row.created_at), id: row.id });

export async function listAssets(db: Queryable, viewer: Viewer, f: AssetFilters, limit: number, cursor: Position | null): Promise<Slice<Asset>> {
  const rows = await filtered(db, viewer, f)
    .selectAll()
    .where(after('assets.created_at', 'assets.id', cursor))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const slice = sliceOf(rows, limit, positionOf);
  return { items: await toAssets(db, viewer, slice.items), next: slice.next };
}

export async function countAssets(db: Queryable, viewer: Viewer, f: AssetFilters): Promise<number> {
  const row = await filtered(db, viewer, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getAsset(db: Queryable, viewer: Viewer, id: string): Promise<Asset | null> {
  const row = await filtered(db, viewer, {}).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ((await toAssets(db, viewer, [row]))[0] ?? null) : null;
}

export interface AssetInput {
  name: string;
  type: string;
  criticality: number;
  geometry: Geometry | null;
  attributes: Record<string, unknown>;
  dependencies: Dependency[];
}

function placeColumns(geometry: Geometry | null) {
  if (!geometry) return { geometry: null, lon: null, lat: null, min_lon: null, min_lat: null, max_lon: null, max_lat: null };
  const [lon, lat] = anchorOf(geometry);
  const b = bboxOf(geometry);
  return { geometry: JSON.stringify(geometry), lon, lat, min_lon: b.minLon, min_lat: b.minLat, max_lon: b.maxLon, max_lat: b.maxLat };
}

/** Asset ids among `ids` that `viewer` may not see (or that do not exist). */
export async function invisibleAssets(db: Queryable, viewer: Viewer, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const seen = await filtered(db, viewer, { ids }).select('id').execute();
  return ids.filter((id) => !seen.some((s) => s.id === id));
}

async function writeDependencies(w: Write, assetId: string, dependencies: Dependency[]): Promise<void> {
  await w.tx.deleteFrom('asset_links').where('from_asset_id', '=', assetId).execute();
  if (dependencies.length > 0) {
    await w.tx
      .insertInto('asset_links')
      .values(dependencies.map((d) => ({ from_asset_id: assetId, kind: d.kind, to_asset_id: d.assetId })))
      .execute();
  }
}

export async function insertAsset(w: Write, viewer: Viewer, input: AssetInput, sharing: Sharing): Promise<Asset> {
  const id = newId(w.now);
  await w.tx
    .insertInto('assets')
    .values({
      id,
      ...sharingColumns(sharing),
      name: input.name,
      type: input.type,
      criticality: input.criticality,
      ...placeColumns(input.geometry),
      attributes: JSON.stringify(input.attributes),
      created_at: w.now,
      updated_at: w.now,
      version: 1,
    })
    .execute();
  await writeDependencies(w, id, input.dependencies);
  const asset = (await getAsset(w.tx, viewer, id))!;
  await w.emit({ type: 'asset.created', recordKind: 'asset', recordId: id, actorOrgId: w.actor.orgId, audience: audienceOf(sharing), data: asset });
  await w.audit({ action: 'asset.create', targetKind: 'asset', targetId: id, details: { name: input.name, type: input.type, tlp: sharing.tlp } });
  return asset;
}

export async function updateAsset(w: Write, viewer: Viewer, current: Asset, change: Partial<AssetInput>): Promise<Asset> {
  const set: Partial<AssetRow> = { updated_at: w.now, version: current.version + 1 };
  if (change.name !== undefined) set.name = change.name;
  if (change.type !== undefined) set.type = change.type;
  if (change.criticality !== undefined) set.criticality = change.criticality;
  if (change.attributes !== undefined) set.attributes = JSON.stringify(change.attributes);
  if (change.geometry !== undefined) Object.assign(set, placeColumns(change.geometry));
  await w.tx.updateTable('assets').set(set).where('id', '=', current.id).execute();
  if (change.dependencies !== undefined) await writeDependencies(w, current.id, change.dependencies);
  const asset = (await getAsset(w.tx, viewer, current.id))!;
  await w.emit({ type: 'asset.updated', recordKind: 'asset', recordId: asset.id, actorOrgId: w.actor.orgId, audience: audienceOf(asset), data: asset });
  await w.audit({ action: 'asset.update', targetKind: 'asset', targetId: asset.id, details: { fields: Object.keys(change) } });
  return asset;
}
