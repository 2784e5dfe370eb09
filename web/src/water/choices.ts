// What the scenario form offers for each field, from the network (its elements, PLCs, links and controls)
// and the assets the user sees. Pure.
import type { Asset } from '../api/types';
import type { ChoiceSource } from './eventTypes';
import type { NetworkMap, WaterNetwork } from './types';

export interface Choice {
  value: string;
  label: string;
}

export type Choices = Record<ChoiceSource, Choice[]> & { spoofTargetsOf: (signal: string) => Choice[] };

const WATER_ASSET_TYPES = new Set(['pump', 'tank', 'valve', 'reservoir', 'plc', 'scada-server']);

export function choicesOf(network: WaterNetwork, map: NetworkMap | null, assets: Iterable<Asset>): Choices {
  const ids = (...kinds: string[]) => (map?.features ?? []).filter((f) => kinds.includes(f.properties.kind)).map((f) => ({ value: f.properties.id, label: f.properties.id }));
  const signals = [...new Set(network.plcs.flatMap((p) => p.sensors))].sort().map((s) => ({ value: s, label: s }));
  const spoofTargetsOf = (signal: string): Choice[] => [
    { value: 'sensor', label: 'the instrument (every reader)' },
    ...network.links.filter((l) => !signal || l.signals.includes(signal)).map((l) => ({ value: `${l.from}->${l.to}`, label: `link ${l.from} → ${l.to}` })),
  ];
  const all = [...assets];
  return {
    signals,
    spoofTargets: spoofTargetsOf(''),
    spoofTargetsOf,
    actuated: ids('pump', 'valve'),
    pumps: ids('pump'),
    pipes: ids('pipe'),
    junctions: ids('junction'),
    nodes: ids('junction', 'tank', 'reservoir'),
    tanks: ids('tank'),
    plcs: network.plcs.map((p) => ({ value: p.id, label: p.name ? `${p.id} · ${p.name}` : p.id })),
    receivers: [...network.plcs.map((p) => ({ value: p.id, label: p.id })), { value: network.scada.id, label: `${network.scada.id} (SCADA)` }],
    controls: (map?.controls ?? []).map((c) => ({ value: c.id, label: `${c.id}: ${c.text}` })),
    energyAssets: all.filter((a) => /substation|feeder|transformer|power|generator/.test(a.type)).map((a) => ({ value: a.id, label: a.name })),
  };
}

/** Assets a critical consumer may stand for: anything but the network's own equipment. */
export function consumerAssets(assets: Iterable<Asset>): Choice[] {
  return [...assets]
    .filter((a) => !WATER_ASSET_TYPES.has(a.type))
    .sort((a, b) => b.criticality - a.criticality || a.name.localeCompare(b.name))
    .map((a) => ({ value: a.id, label: `${a.name} (${a.type})` }));
}
