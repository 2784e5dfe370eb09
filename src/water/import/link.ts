import type { PlannedAsset, WaterAssetKind } from '../assets.js';
import { parseSignal, type PlcLayout } from '../cyber/layout.js';

/**
 * How an import turns planned assets into the organisation's assets (pure: data in, data out): which
 * existing asset each planned one is (the same key from an earlier import, else the same SCADA tag, PLC id
 * or name), and the dependencies between them.
 */
export const ASSET_TYPE: Record<WaterAssetKind, string> = {
  'water-pump': 'pump',
  'water-tank': 'tank',
  'water-valve': 'valve',
  'water-reservoir': 'reservoir',
  plc: 'plc',
  'scada-server': 'scada-server',
};

const CRITICALITY: Record<WaterAssetKind, number> = {
  'water-pump': 4,
  'water-tank': 4,
  'water-valve': 3,
  'water-reservoir': 5,
  plc: 4,
  'scada-server': 5,
};

export type DependencyKind = 'controls' | 'feeds' | 'supplies' | 'monitors' | 'located-in';

export interface ExistingAsset {
  id: string;
  name: string;
  type: string;
  attributes: Record<string, unknown>;
  dependencies: Array<{ kind: string; assetId: string }>;
}

/** The SCADA signals of an element as the layout names them (BATADAL style), the primary one first. */
export function signalsOf(planned: PlannedAsset, layout: PlcLayout): string[] {
  const primary = planned.kind === 'water-tank' ? `L_${planned.ref}` : planned.kind === 'water-pump' || planned.kind === 'water-valve' ? `S_${planned.ref}` : null;
  const read = new Set(layout.plcs.flatMap((p) => p.sensors).filter((s) => parseSignal(s)?.element === planned.ref));
  return [...new Set([...(primary ? [primary] : []), ...[...read].sort()])];
}

const norm = (s: unknown): string => (typeof s === 'string' ? s.trim().toLowerCase() : '');

/**
 * The existing asset each planned asset links to, or null (it is created). An asset is linked at most
 * once. Order of preference: the asset an earlier import of this network mapped to the key; an asset of
 * the same type carrying the key; the same SCADA tag (`attributes.scadaTag`); the same controller id
 * (`attributes.plcId` / `scadaId`); the same name.
 */
export function matchExisting(
  planned: PlannedAsset[],
  layout: PlcLayout,
  existing: ExistingAsset[],
  mapped: ReadonlyMap<string, string>,
): Map<string, ExistingAsset | null> {
  const byId = new Map(existing.map((a) => [a.id, a]));
  const taken = new Set<string>();
  const out = new Map<string, ExistingAsset | null>();
  const take = (key: string, asset: ExistingAsset | undefined): boolean => {
    if (!asset || taken.has(asset.id)) return false;
    taken.add(asset.id);
    out.set(key, asset);
    return true;
  };
  // Earlier mappings first, so a renamed asset keeps its link before names are compared.
  for (const p of planned) take(p.key, byId.get(mapped.get(p.key) ?? ''));
  for (const p of planned) {
    if (out.has(p.key)) continue;
    const type = ASSET_TYPE[p.kind];
    const candidates = existing.filter((a) => a.type === type && !taken.has(a.id));
    const tags = new Set(signalsOf(p, layout).map(norm));
    const found =
      candidates.find((a) => a.attributes.waterKey === p.key) ??
      candidates.find((a) => tags.has(norm(a.attributes.scadaTag))) ??
      candidates.find((a) => (p.kind === 'plc' && norm(a.attributes.plcId) === norm(p.ref)) || (p.kind === 'scada-server' && norm(a.attributes.scadaId) === norm(p.ref))) ??
      candidates.find((a) => norm(a.name) === norm(p.name) || norm(a.name) === norm(p.ref));
    if (!take(p.key, found)) out.set(p.key, null);
  }
  return out;
}

/** Attributes a planned asset carries (merged over a linked asset's own). */
export function plannedAttributes(p: PlannedAsset, layout: PlcLayout, network: { id: string; name: string }): Record<string, unknown> {
  const signals = signalsOf(p, layout);
  return {
    ...p.properties,
    waterKey: p.key,
    waterNetwork: network.name,
    waterNetworkId: network.id,
    waterElement: p.ref,
    ...(signals.length ? { scadaTag: signals[0], signals } : {}),
    ...(p.kind === 'plc' ? { plcId: p.ref } : {}),
    ...(p.kind === 'scada-server' ? { scadaId: p.ref } : {}),
  };
}

export function plannedCriticality(p: PlannedAsset): number {
  return CRITICALITY[p.kind];
}

/**
 * The dependencies each asset of the network should have, read "from <kind> to": a PLC controls the pumps
 * and valves it drives and monitors what it senses; a PLC that sends signals to another feeds it; the
 * SCADA server controls the PLCs reporting to it; a tank supplies the critical consumers it serves.
 */
export function plannedDependencies(
  planned: PlannedAsset[],
  idOf: ReadonlyMap<string, string>,
  supplies: Array<{ tankKey: string; consumerAssetId: string }>,
): Map<string, Array<{ kind: DependencyKind; assetId: string }>> {
  const deps = new Map<string, Array<{ kind: DependencyKind; assetId: string }>>();
  const add = (fromKey: string, kind: DependencyKind, to: string | undefined): void => {
    const from = idOf.get(fromKey);
    if (!from || !to || from === to) return;
    const list = deps.get(from) ?? deps.set(from, []).get(from)!;
    if (!list.some((d) => d.kind === kind && d.assetId === to)) list.push({ kind, assetId: to });
  };
  for (const p of planned) {
    for (const d of p.dependsOn) {
      const self = idOf.get(p.key);
      if (d.relation === 'controlled-by') add(d.key, 'controls', self);
      else if (d.relation === 'monitored-by') add(d.key, 'monitors', self);
      else if (d.relation === 'receives-from') add(d.key, 'feeds', self);
      else if (d.relation === 'reports-to') add(d.key, 'controls', self);
    }
  }
  for (const s of supplies) add(s.tankKey, 'supplies', s.consumerAssetId);
  return deps;
}

/**
 * A linked asset's dependencies after an import: those it had towards assets outside this network (kept:
 * someone drew them on purpose), and the planned ones within it.
 */
export function mergedDependencies(
  current: Array<{ kind: string; assetId: string }>,
  planned: Array<{ kind: DependencyKind; assetId: string }>,
  networkAssetIds: ReadonlySet<string>,
  consumerIds: ReadonlySet<string>,
): Array<{ kind: DependencyKind; assetId: string }> {
  const kept = current.filter((d) => !networkAssetIds.has(d.assetId) && !(d.kind === 'supplies' && consumerIds.has(d.assetId)));
  const out = kept.map((d) => ({ kind: d.kind as DependencyKind, assetId: d.assetId }));
  for (const d of planned) if (!out.some((x) => x.kind === d.kind && x.assetId === d.assetId)) out.push(d);
  return out;
}

export function sameDependencies(a: Array<{ kind: string; assetId: string }>, b: Array<{ kind: string; assetId: string }>): boolean {
  const key = (d: { kind: string; assetId: string }): string => `${d.kind}:${d.assetId}`;
  const sa = new Set(a.map(key));
  return sa.size === new Set(b.map(key)).size && b.every((d) => sa.has(key(d)));
}
