import { parseSignal, type PlcLayout } from './cyber/layout.js';
import type { WaterNetwork } from './network/model.js';
import { elementPosition, type AffineTransform } from './network/placement.js';

export type WaterAssetKind = 'water-pump' | 'water-tank' | 'water-valve' | 'water-reservoir' | 'plc' | 'scada-server';

export interface PlannedAsset {
  /** Stable key for create-or-link on re-import: "<network>/<kind>/<element or controller id>". */
  key: string;
  kind: WaterAssetKind;
  name: string;
  /** The EPANET element or controller it stands for. */
  ref: string;
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: Record<string, string | number | boolean | null>;
  dependsOn: Array<{ key: string; relation: 'controlled-by' | 'monitored-by' | 'receives-from' | 'reports-to' }>;
}

/**
 * The assets `vigil water import` creates or links for a network (pure: no database): pumps, tanks, valves,
 * reservoirs, PLCs and the SCADA server, placed on the map, with who controls and monitors what.
 */
export function planWaterAssets(networkName: string, network: WaterNetwork, layout: PlcLayout, transform: AffineTransform): PlannedAsset[] {
  const key = (kind: WaterAssetKind, ref: string): string => `${networkName}/${kind}/${ref}`;
  const at = (id: string | undefined): PlannedAsset['geometry'] => {
    const p = id ? elementPosition(network, transform, id) : undefined;
    return p ? { type: 'Point', coordinates: p } : null;
  };
  const drivenBy = new Map<string, string>();
  for (const plc of layout.plcs) for (const a of plc.actuators) drivenBy.set(a, plc.id);
  const monitoredBy = new Map<string, Set<string>>();
  for (const plc of layout.plcs) {
    for (const s of plc.sensors) {
      const element = parseSignal(s)?.element;
      if (element) monitoredBy.set(element, (monitoredBy.get(element) ?? new Set()).add(plc.id));
    }
  }
  const links = (ref: string): PlannedAsset['dependsOn'] => [
    ...(drivenBy.has(ref) ? [{ key: key('plc', drivenBy.get(ref)!), relation: 'controlled-by' as const }] : []),
    ...[...(monitoredBy.get(ref) ?? [])].map((plc) => ({ key: key('plc', plc), relation: 'monitored-by' as const })),
  ];
  const assets: PlannedAsset[] = [];
  for (const p of network.pumps) {
    assets.push({ key: key('water-pump', p.id), kind: 'water-pump', name: `Pump ${p.id}`, ref: p.id, geometry: at(p.id), properties: { from: p.from, to: p.to, headCurve: p.headCurve ?? null, power: p.power ?? null }, dependsOn: links(p.id) });
  }
  for (const v of network.valves) {
    assets.push({ key: key('water-valve', v.id), kind: 'water-valve', name: `${v.type} valve ${v.id}`, ref: v.id, geometry: at(v.id), properties: { valveType: v.type, diameter: v.diameter, setting: typeof v.setting === 'number' ? v.setting : null }, dependsOn: links(v.id) });
  }
  for (const t of network.tanks) {
    const volume = (Math.PI * t.diameter * t.diameter * (t.maxLevel - t.minLevel)) / 4;
    assets.push({ key: key('water-tank', t.id), kind: 'water-tank', name: `Tank ${t.id}`, ref: t.id, geometry: at(t.id), properties: { elevation: t.elevation, maxLevel: t.maxLevel, diameter: t.diameter, usefulVolume: Math.round(volume) }, dependsOn: links(t.id) });
  }
  for (const r of network.reservoirs) {
    assets.push({ key: key('water-reservoir', r.id), kind: 'water-reservoir', name: `Source ${r.id}`, ref: r.id, geometry: at(r.id), properties: { head: r.head }, dependsOn: links(r.id) });
  }
  for (const plc of layout.plcs) {
    const inbound = layout.links.filter((l) => l.to === plc.id).map((l) => ({ key: key('plc', l.from), relation: 'receives-from' as const }));
    const reports = layout.links.some((l) => l.from === plc.id && l.to === layout.scada.id) ? [{ key: key('scada-server', layout.scada.id), relation: 'reports-to' as const }] : [];
    assets.push({
      key: key('plc', plc.id), kind: 'plc', name: plc.name && !plc.name.includes(plc.id) ? `${plc.id} ${plc.name}` : (plc.name ?? plc.id), ref: plc.id, geometry: at(plc.site),
      properties: {
        sensors: plc.sensors.join(' '),
        actuators: plc.actuators.join(' '),
        // The control logic it runs: the network's controls and rules acting on its pumps and valves.
        controls: [
          ...network.controls.filter((c) => plc.actuators.includes(c.link)).map((c) => c.id),
          ...network.rules.filter((r) => plc.actuators.includes(r.then[0]?.id ?? '')).map((r) => `rule ${r.id}`),
        ].join(' '),
        site: plc.site ?? null,
      },
      dependsOn: [...inbound, ...reports],
    });
  }
  assets.push({ key: key('scada-server', layout.scada.id), kind: 'scada-server', name: layout.scada.name ?? layout.scada.id, ref: layout.scada.id, geometry: at(layout.scada.site), properties: { site: layout.scada.site ?? null }, dependsOn: [] });
  return assets;
}
