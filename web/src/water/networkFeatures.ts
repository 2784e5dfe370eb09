// A network's GeoJSON (the web contract) as the map layer's two sources, pure: lines (pipes, pumps, valves)
// and points (junctions, tanks, reservoirs, and a marker in the middle of each pump and valve). Every
// feature has a key unique across networks and kinds, which MapLibre's feature state is addressed by.
import type { NodeKind } from './frames';
import type { ElementKind, NetworkFeature, NetworkMap } from './types';

export const WATER_KIND = 'water-element';

export function elementKey(networkId: string, kind: ElementKind, id: string): string {
  return `${networkId}/${kind}/${id}`;
}

export function parseElementKey(key: string): { networkId: string; kind: ElementKind; id: string } | null {
  const m = /^([^/]+)\/(junction|reservoir|tank|pipe|pump|valve)\/(.+)$/.exec(key);
  return m ? { networkId: m[1]!, kind: m[2] as ElementKind, id: m[3]! } : null;
}

function midpoint(line: number[][]): [number, number] {
  // Half way along the line, not the middle vertex: pumps often have two vertices only.
  const lengths = line.slice(1).map((p, i) => Math.hypot(p[0]! - line[i]![0]!, p[1]! - line[i]![1]!));
  let half = lengths.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < lengths.length; i++) {
    if (half <= lengths[i]! || i === lengths.length - 1) {
      const f = lengths[i]! > 0 ? Math.min(1, half / lengths[i]!) : 0;
      const [a, b] = [line[i]!, line[i + 1]!];
      return [a[0]! + (b[0]! - a[0]!) * f, a[1]! + (b[1]! - a[1]!) * f];
    }
    half -= lengths[i]!;
  }
  return line[0] as [number, number];
}

export interface LayerData {
  links: GeoJSON.FeatureCollection;
  nodes: GeoJSON.FeatureCollection;
}

/** The features of one network for the layer (properties: kind, id = key, ek element kind, eid element id). */
export function layerFeatures(map: NetworkMap): LayerData {
  const net = map.network.id;
  const links: GeoJSON.Feature[] = [];
  const nodes: GeoJSON.Feature[] = [];
  for (const f of map.features) {
    const ek = f.properties.kind;
    const key = elementKey(net, ek, f.properties.id);
    const properties = { kind: WATER_KIND, id: key, ek, eid: f.properties.id, net, d: typeof f.properties.diameter === 'number' ? f.properties.diameter : 0 };
    if (f.geometry.type === 'LineString') {
      links.push({ type: 'Feature', geometry: f.geometry, properties });
      if (ek === 'pump' || ek === 'valve') nodes.push({ type: 'Feature', geometry: { type: 'Point', coordinates: midpoint(f.geometry.coordinates) }, properties });
    } else {
      nodes.push({ type: 'Feature', geometry: f.geometry, properties });
    }
  }
  return { links: { type: 'FeatureCollection', features: links }, nodes: { type: 'FeatureCollection', features: nodes } };
}

export interface LinkEnds {
  /** Keys of the link's line and of its marker (pumps and valves). */
  key: string;
  kind: ElementKind;
  /** Positions of its two ends in the frame's node order; -1 when an end is not in it. */
  ends: [number, number];
}

/** The links of a network with their ends as positions in a run's frame. */
export function linkEnds(map: NetworkMap, frameNodes: string[]): LinkEnds[] {
  const position = new Map(frameNodes.map((id, i) => [id, i]));
  return map.features
    .filter((f): f is NetworkFeature & { geometry: GeoJSON.LineString } => f.geometry.type === 'LineString')
    .map((f) => ({
      key: elementKey(map.network.id, f.properties.kind, f.properties.id),
      kind: f.properties.kind,
      ends: [position.get(String(f.properties.from)) ?? -1, position.get(String(f.properties.to)) ?? -1],
    }));
}

/** The key of each node of a frame (a leak's "<pipe>_break" node has one too; nothing is drawn for it). */
export function nodeKeys(networkId: string, frameNodes: string[], kinds: NodeKind[]): string[] {
  return frameNodes.map((id, i) => elementKey(networkId, kinds[i] ?? 'junction', id));
}

/** Where a node of the network is. */
export function nodePosition(map: NetworkMap, node: string): [number, number] | null {
  const f = map.features.find((x) => x.geometry.type === 'Point' && x.properties.id === node);
  return f ? (f.geometry.coordinates as [number, number]) : null;
}

/** The corners of the network, for fitting a map to it. */
export function boundsOf(map: NetworkMap): Array<[number, number]> | null {
  const [w, s, e, n] = map.bbox;
  return w === undefined || s === undefined || e === undefined || n === undefined ? null : [[w, s], [e, n]];
}
