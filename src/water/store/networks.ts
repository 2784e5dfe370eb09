import type { SelectQueryBuilder } from 'kysely';
import type { Queryable } from '../../kernel/db/connection.js';
import type { Database } from '../../kernel/db/schema.js';
import { after, textMatches } from '../../kernel/db/list.js';
import { type Position, type Slice, sliceOf } from '../../kernel/http/cursor.js';
import { type Distribution, type Tlp, type Viewer, sharingOf, visibleTo } from '../../kernel/sharing/index.js';
import { validateLayout, type PlcLayout } from '../cyber/layout.js';
import type { WaterNetwork } from '../network/model.js';
import { placementTransform, type AffineTransform, type Placement } from '../network/placement.js';
import { readInp } from '../network/read.js';

/** A critical consumer of a water model: a junction serving a hospital, a school, ... */
export interface NetworkConsumer {
  node: string;
  name: string;
  assetId?: string;
  minPressure?: number;
}

export interface NetworkStats {
  junctions: number;
  reservoirs: number;
  tanks: number;
  pipes: number;
  pumps: number;
  valves: number;
  controls: number;
  rules: number;
  plcs: number;
  flowUnits: string;
  hasCoordinates: boolean;
}

/** A water model as the API shows it (the version asked for, the newest by default). */
export interface WaterNetworkRecord {
  id: string;
  name: string;
  title: string;
  /** The newest version. */
  version: number;
  /** The version described below. */
  shownVersion: number;
  stats: NetworkStats;
  placement: Placement | null;
  consumers: NetworkConsumer[];
  scada: { id: string; name: string | null };
  plcs: Array<{ id: string; name: string | null; sensors: string[]; actuators: string[] }>;
  /** Communication links of the PLC layout: which signals each PLC sends to another PLC or the SCADA server. */
  links: Array<{ from: string; to: string; signals: string[] }>;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdAt: string;
  updatedAt: string;
  versionCreatedAt: string;
}

type NetworkRow = Database['water_networks'];
type VersionRow = Database['water_network_versions'];

export function visibleNetworks(db: Queryable, viewer: Viewer): SelectQueryBuilder<Database, 'water_networks', {}> {
  return db.selectFrom('water_networks').where(visibleTo(viewer, 'water_networks'));
}

async function toRecords(db: Queryable, rows: NetworkRow[], versions: Map<string, VersionRow>): Promise<WaterNetworkRecord[]> {
  return rows.flatMap((row) => {
    const v = versions.get(row.id);
    if (!v) return [];
    const sharing = sharingOf(row);
    const layout = JSON.parse(v.layout) as PlcLayout;
    return [{
      id: row.id,
      name: row.name,
      title: row.title,
      version: row.version,
      shownVersion: v.version,
      stats: JSON.parse(v.stats) as NetworkStats,
      placement: v.placement ? (JSON.parse(v.placement) as Placement) : null,
      consumers: JSON.parse(v.consumers) as NetworkConsumer[],
      scada: { id: layout.scada.id, name: layout.scada.name ?? null },
      plcs: layout.plcs.map((p) => ({ id: p.id, name: p.name ?? null, sensors: p.sensors, actuators: p.actuators })),
      links: layout.links.map((l) => ({ from: l.from, to: l.to, signals: l.signals })),
      ownerOrgId: sharing.ownerOrgId,
      tlp: sharing.tlp,
      distribution: sharing.distribution,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      updatedAt: new Date(Number(row.updated_at)).toISOString(),
      versionCreatedAt: new Date(Number(v.created_at)).toISOString(),
    }];
  });
}

async function versionRows(db: Queryable, keys: Array<{ id: string; version: number }>): Promise<Map<string, VersionRow>> {
  const out = new Map<string, VersionRow>();
  for (const k of keys) {
    const v = await db.selectFrom('water_network_versions').selectAll().where('network_id', '=', k.id).where('version', '=', k.version).executeTakeFirst();
    if (v) out.set(k.id, v);
  }
  return out;
}

export async function getNetwork(db: Queryable, viewer: Viewer, id: string, version?: number): Promise<WaterNetworkRecord | null> {
  const row = await visibleNetworks(db, viewer).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const versions = await versionRows(db, [{ id, version: version ?? row.version }]);
  return (await toRecords(db, [row], versions))[0] ?? null;
}

export async function listNetworks(db: Queryable, viewer: Viewer, f: { owner?: string; q?: string }, limit: number, cursor: Position | null): Promise<Slice<WaterNetworkRecord>> {
  let q = visibleNetworks(db, viewer).selectAll();
  if (f.owner) q = q.where('owner_org_id', '=', f.owner);
  if (f.q) q = q.where(textMatches(['water_networks.name', 'water_networks.title'], f.q));
  const rows = await q.where(after('water_networks.created_at', 'water_networks.id', cursor)).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const slice = sliceOf(rows, limit, (r) => ({ k: Number(r.created_at), id: r.id }));
  const versions = await versionRows(db, slice.items.map((r) => ({ id: r.id, version: r.version })));
  return { items: await toRecords(db, slice.items, versions), next: slice.next };
}

export async function listNetworkVersions(db: Queryable, networkId: string): Promise<Array<{ version: number; createdAt: string; inpSha256: string; stats: NetworkStats }>> {
  const rows = await db.selectFrom('water_network_versions').select(['version', 'created_at', 'inp_sha256', 'stats']).where('network_id', '=', networkId).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, createdAt: new Date(Number(r.created_at)).toISOString(), inpSha256: r.inp_sha256, stats: JSON.parse(r.stats) as NetworkStats }));
}

/** A network version ready to simulate or draw. */
export interface LoadedNetwork {
  networkId: string;
  version: number;
  network: WaterNetwork;
  layout: PlcLayout;
  placement: Placement | null;
  transform: AffineTransform | null;
  consumers: NetworkConsumer[];
  inp: string;
}

// Parsed versions, newest use last: a version never changes, so the parse is kept for the next run.
const parsed = new Map<string, LoadedNetwork>();
const PARSED_KEPT = 6;

/**
 * One version of a network, parsed. The caller has checked the viewer may use it (a visible network, or
 * the network of a visible scenario).
 */
export async function loadNetworkVersion(db: Queryable, networkId: string, version: number): Promise<LoadedNetwork | null> {
  const key = `${networkId}@${version}`;
  const cached = parsed.get(key);
  if (cached) {
    parsed.delete(key);
    parsed.set(key, cached);
    return cached;
  }
  const row = await db.selectFrom('water_network_versions').selectAll().where('network_id', '=', networkId).where('version', '=', version).executeTakeFirst();
  if (!row) return null;
  const network = readInp(row.inp);
  const placement = row.placement ? (JSON.parse(row.placement) as Placement) : null;
  const loaded: LoadedNetwork = {
    networkId,
    version,
    network,
    layout: validateLayout(JSON.parse(row.layout), network),
    placement,
    transform: placement && network.coordinates.size > 0 ? placementTransform(network, placement) : null,
    consumers: JSON.parse(row.consumers) as NetworkConsumer[],
    inp: row.inp,
  };
  parsed.set(key, loaded);
  if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
  return loaded;
}

/** Assets standing for the network's elements and controllers, among those the viewer may see: element → asset id. */
export async function networkAssets(db: Queryable, viewer: Viewer, networkId: string): Promise<Map<string, { assetId: string; kind: string }>> {
  const rows = await db
    .selectFrom('water_network_assets')
    .innerJoin('assets', 'assets.id', 'water_network_assets.asset_id')
    .select(['water_network_assets.element', 'water_network_assets.kind', 'water_network_assets.asset_id'])
    .where('water_network_assets.network_id', '=', networkId)
    .where(visibleTo(viewer, 'assets'))
    .execute();
  return new Map(rows.map((r) => [`${r.kind}/${r.element}`, { assetId: r.asset_id, kind: r.kind }]));
}
