import { createHash } from 'node:crypto';
import { type Asset, getAsset, insertAsset, invisibleAssets, listAssets, updateAsset } from '../../assets/index.js';
import { audienceOf } from '../../kernel/events/index.js';
import type { Geometry } from '../../kernel/geo.js';
import type { Position } from '../../kernel/http/cursor.js';
import { newId } from '../../kernel/ids.js';
import type { Write } from '../../kernel/kernel.js';
import { type Sharing, type Viewer, sharingColumns } from '../../kernel/sharing/index.js';
import { planWaterAssets, type PlannedAsset, type WaterAssetKind } from '../assets.js';
import { defaultLayout, validateLayout, type PlcLayout } from '../cyber/layout.js';
import { ASSET_TYPE, matchExisting, mergedDependencies, plannedAttributes, plannedCriticality, plannedDependencies, sameDependencies, signalsOf } from '../import/link.js';
import type { WaterNetwork } from '../network/model.js';
import { placementTransform, type AffineTransform, type Placement } from '../network/placement.js';
import { readInp } from '../network/read.js';
import { supplyingStorage } from '../network/supply.js';
import { getNetwork, type NetworkConsumer, type NetworkStats, type WaterNetworkRecord } from './networks.js';

/** What an import is given: the .inp text and, optionally, the PLC layout, the placement and critical consumers. */
export interface NetworkImport {
  /** Short name, unique per organisation: re-importing the same name adds a version. */
  name: string;
  title?: string;
  inp: string;
  layout?: unknown;
  placement?: Placement | null;
  consumers?: Array<{ node: string; name?: string; assetId?: string; minPressure?: number }>;
}

/** Something in an import the person must fix (beyond the .inp and layout errors, which have their own types). */
export class ImportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ImportError';
  }
}

export const NETWORK_NAME_PATTERN = '^[a-z0-9][a-z0-9-_]{0,62}$';

export interface PreparedImport {
  input: NetworkImport;
  network: WaterNetwork;
  layout: PlcLayout;
  placement: Placement | null;
  transform: AffineTransform | null;
  stats: NetworkStats;
}

/** Parses and checks everything that needs no database (InpError and LayoutError name what is wrong). */
export function prepareImport(input: NetworkImport): PreparedImport {
  if (!new RegExp(NETWORK_NAME_PATTERN).test(input.name)) {
    throw new ImportError([`name "${input.name}" must be lower-case letters, digits, "-" or "_" (at most 63)`]);
  }
  const network = readInp(input.inp);
  const layout = input.layout === undefined || input.layout === null ? defaultLayout(network) : validateLayout(input.layout, network);
  const problems: string[] = [];
  const junctions = new Set(network.junctions.map((j) => j.id));
  (input.consumers ?? []).forEach((c, i) => {
    if (!junctions.has(c.node)) problems.push(`consumers[${i}].node: "${c.node}" is not a junction of the network`);
  });
  const placement = input.placement ?? null;
  if (placement && network.coordinates.size === 0) problems.push('the network has no [COORDINATES]: it cannot be placed on the map (import it without a placement)');
  if (placement && !(placement.metresPerUnit > 0)) problems.push('placement.metresPerUnit must be positive');
  if (problems.length) throw new ImportError(problems);
  const stats: NetworkStats = {
    junctions: network.junctions.length,
    reservoirs: network.reservoirs.length,
    tanks: network.tanks.length,
    pipes: network.pipes.length,
    pumps: network.pumps.length,
    valves: network.valves.length,
    controls: network.controls.length,
    rules: network.rules.length,
    plcs: layout.plcs.length,
    flowUnits: network.options.flowUnits,
    hasCoordinates: network.coordinates.size > 0,
  };
  return { input, network, layout, placement, transform: placement ? placementTransform(network, placement) : null, stats };
}

export interface ImportOutcome {
  network: WaterNetworkRecord;
  created: boolean;
  /** Nothing changed since the newest version: no version was added. */
  unchanged: boolean;
  assets: { created: number; linked: number; updated: number; unlinked: number };
  /** Planned asset key → asset id. */
  assetIds: Record<string, string>;
}

export interface ImportSharing {
  /** Sharing of a network created by this import (an existing one keeps its own). */
  network: Sharing;
  /** Sharing of the assets this import creates (linked assets keep their own). */
  asset: (kind: WaterAssetKind) => Sharing;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Stores the network (a new record, or a new version of the organisation's network of that name) and
 * creates or links its assets with their dependencies, all inside the caller's write: an import lands
 * whole or not at all. `viewer` is the importing organisation.
 */
export async function writeImport(w: Write, viewer: Viewer, prepared: PreparedImport, sharing: ImportSharing): Promise<ImportOutcome> {
  const orgId = viewer.orgId!;
  const { input, network, layout, placement, stats } = prepared;
  const consumers = await resolveConsumers(w, viewer, input.consumers ?? []);
  const existing = await w.tx.selectFrom('water_networks').selectAll().where('owner_org_id', '=', orgId).where('name', '=', input.name).executeTakeFirst();
  const inpSha = sha256(input.inp);
  const layoutText = JSON.stringify(layout);
  const placementText = placement ? JSON.stringify(placement) : null;
  const consumersText = JSON.stringify(consumers);

  let networkId: string;
  let version: number;
  let unchanged = false;
  if (existing) {
    networkId = existing.id;
    const latest = await w.tx.selectFrom('water_network_versions').selectAll().where('network_id', '=', existing.id).where('version', '=', existing.version).executeTakeFirstOrThrow();
    unchanged = latest.inp_sha256 === inpSha && latest.layout === layoutText && latest.placement === placementText && latest.consumers === consumersText;
    version = unchanged ? existing.version : existing.version + 1;
    if (!unchanged || (input.title !== undefined && input.title !== existing.title)) {
      await w.tx.updateTable('water_networks').set({ version, updated_at: w.now, ...(input.title !== undefined ? { title: input.title } : {}) }).where('id', '=', networkId).execute();
    }
  } else {
    networkId = newId(w.now);
    version = 1;
    await w.tx
      .insertInto('water_networks')
      .values({ id: networkId, ...sharingColumns(sharing.network), name: input.name, title: input.title ?? (network.title[0] || input.name), version, created_at: w.now, updated_at: w.now })
      .execute();
  }
  if (!unchanged) {
    await w.tx
      .insertInto('water_network_versions')
      .values({
        network_id: networkId, version, inp: input.inp, inp_sha256: inpSha, layout: layoutText, placement: placementText,
        consumers: consumersText, stats: JSON.stringify(stats), created_at: w.now, created_by_user: w.actor.userId,
      })
      .execute();
  }

  const planned = planWaterAssets(input.name, network, layout, prepared.transform ?? IDENTITY);
  if (!prepared.transform) for (const p of planned) p.geometry = null;
  const assets = await syncAssets(w, viewer, { id: networkId, name: input.name }, planned, layout, network, consumers, sharing.asset);

  const record = (await getNetwork(w.tx, viewer, networkId))!;
  if (!unchanged) {
    await w.emit({
      type: existing ? 'water-network.updated' : 'water-network.created',
      recordKind: 'water-network',
      recordId: networkId,
      actorOrgId: w.actor.orgId,
      audience: audienceOf(record),
      data: record,
    });
  }
  await w.audit({
    action: 'water-network.import',
    targetKind: 'water-network',
    targetId: networkId,
    details: { name: input.name, version, unchanged, inpSha256: inpSha, assets: assets.counts },
  });
  return { network: record, created: !existing, unchanged, assets: assets.counts, assetIds: Object.fromEntries(assets.idOf) };
}

const IDENTITY: AffineTransform = { a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 };

async function resolveConsumers(w: Write, viewer: Viewer, list: NonNullable<NetworkImport['consumers']>): Promise<NetworkConsumer[]> {
  const ids = [...new Set(list.flatMap((c) => (c.assetId ? [c.assetId] : [])))];
  const missing = await invisibleAssets(w.tx, viewer, ids);
  if (missing.length) throw new ImportError([`consumer assets that do not exist: ${missing.join(', ')}`]);
  const out: NetworkConsumer[] = [];
  for (const c of list) {
    const asset = c.assetId ? await getAsset(w.tx, viewer, c.assetId) : null;
    out.push({ node: c.node, name: c.name ?? asset?.name ?? c.node, ...(c.assetId ? { assetId: c.assetId } : {}), ...(c.minPressure !== undefined ? { minPressure: c.minPressure } : {}) });
  }
  return out;
}

async function ownAssets(w: Write, viewer: Viewer, orgId: string): Promise<Asset[]> {
  const out: Asset[] = [];
  let cursor: Position | null = null;
  do {
    const slice = await listAssets(w.tx, viewer, { owner: orgId, type: [...new Set(Object.values(ASSET_TYPE))] }, 1000, cursor);
    out.push(...slice.items);
    cursor = slice.next;
  } while (cursor);
  return out;
}

async function syncAssets(
  w: Write,
  viewer: Viewer,
  net: { id: string; name: string },
  planned: PlannedAsset[],
  layout: PlcLayout,
  network: WaterNetwork,
  consumers: NetworkConsumer[],
  assetSharing: ImportSharing['asset'],
): Promise<{ counts: ImportOutcome['assets']; idOf: Map<string, string> }> {
  const orgId = viewer.orgId!;
  const mappedRows = await w.tx.selectFrom('water_network_assets').select(['key', 'asset_id']).where('network_id', '=', net.id).execute();
  const mapped = new Map(mappedRows.map((r) => [r.key, r.asset_id]));
  const own = await ownAssets(w, viewer, orgId);
  const matches = matchExisting(planned, layout, own, mapped);
  const counts = { created: 0, linked: 0, updated: 0, unlinked: 0 };
  const idOf = new Map<string, string>();
  const linked = new Map<string, Asset>();
  // Elements first, then PLCs, the SCADA server last: dependencies point from controllers to what they act on.
  const order: WaterAssetKind[] = ['water-reservoir', 'water-tank', 'water-pump', 'water-valve', 'plc', 'scada-server'];
  const sorted = [...planned].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  for (const p of sorted) {
    const match = matches.get(p.key) ?? null;
    if (match) {
      idOf.set(p.key, match.id);
      linked.set(match.id, own.find((a) => a.id === match.id)!);
      if (!mapped.has(p.key) || mapped.get(p.key) !== match.id) counts.linked++;
      continue;
    }
    const asset = await insertAsset(
      w,
      viewer,
      {
        name: p.name,
        type: ASSET_TYPE[p.kind],
        criticality: plannedCriticality(p),
        geometry: p.geometry as Geometry | null,
        attributes: plannedAttributes(p, layout, net),
        dependencies: [],
      },
      assetSharing(p.kind),
    );
    idOf.set(p.key, asset.id);
    linked.set(asset.id, asset);
    counts.created++;
  }

  const supplies = consumers.flatMap((c) => {
    const tank = c.assetId ? supplyingStorage(network, c.node) : null;
    const key = tank ? planned.find((p) => p.ref === tank && (p.kind === 'water-tank' || p.kind === 'water-reservoir'))?.key : undefined;
    return key && c.assetId ? [{ tankKey: key, consumerAssetId: c.assetId }] : [];
  });
  const deps = plannedDependencies(planned, idOf, supplies);
  const networkIds = new Set(idOf.values());
  const consumerIds = new Set(consumers.flatMap((c) => (c.assetId ? [c.assetId] : [])));
  for (const p of sorted) {
    const id = idOf.get(p.key)!;
    const current = linked.get(id)!;
    const attributes = { ...current.attributes, ...plannedAttributes(p, layout, net) };
    // A linked asset keeps its own SCADA tag when it has one that belongs to this element.
    if (typeof current.attributes.scadaTag === 'string' && signalsOf(p, layout).includes(current.attributes.scadaTag)) attributes.scadaTag = current.attributes.scadaTag;
    const dependencies = mergedDependencies(current.dependencies, deps.get(id) ?? [], networkIds, consumerIds);
    const change: Parameters<typeof updateAsset>[3] = {};
    if (JSON.stringify(attributes) !== JSON.stringify(current.attributes)) change.attributes = attributes;
    if (p.geometry && JSON.stringify(p.geometry) !== JSON.stringify(current.geometry)) change.geometry = p.geometry as Geometry;
    if (!sameDependencies(current.dependencies, dependencies)) change.dependencies = dependencies;
    if (Object.keys(change).length > 0) {
      await updateAsset(w, viewer, current, change);
      if (mapped.get(p.key) === id) counts.updated++;
    }
    if (mapped.get(p.key) !== id) {
      await w.tx.deleteFrom('water_network_assets').where('network_id', '=', net.id).where('key', '=', p.key).execute();
      await w.tx.insertInto('water_network_assets').values({ network_id: net.id, key: p.key, element: p.ref, kind: p.kind, asset_id: id }).execute();
    }
  }
  const gone = mappedRows.filter((r) => !idOf.has(r.key));
  for (const r of gone) await w.tx.deleteFrom('water_network_assets').where('network_id', '=', net.id).where('key', '=', r.key).execute();
  counts.unlinked = gone.length;
  return { counts, idOf };
}
