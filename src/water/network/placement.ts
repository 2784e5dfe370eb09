import { indexNetwork, type WaterNetwork } from './model.js';

/**
 * An affine transform from a network's drawing coordinates (x, y) to longitude and latitude:
 *   lon = a·x + b·y + c,  lat = d·x + e·y + f
 * Most EPANET models have schematic or local coordinates; this places them on the city map.
 */
export interface AffineTransform {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export interface Placement {
  /** Where the centre of the network's drawing goes. */
  centre: { lon: number; lat: number };
  /** Metres on the ground per drawing unit. */
  metresPerUnit: number;
  /** Clockwise rotation of the drawing, degrees. */
  rotationDegrees?: number;
}

const METRES_PER_DEGREE_LAT = 111_320;

/** The transform for a placement: scale to metres, rotate, then convert metres to degrees at the centre's latitude. */
export function placementTransform(network: WaterNetwork, placement: Placement): AffineTransform {
  const box = drawingBounds(network);
  const cx = (box.minX + box.maxX) / 2;
  const cy = (box.minY + box.maxY) / 2;
  const theta = ((placement.rotationDegrees ?? 0) * Math.PI) / 180;
  const s = placement.metresPerUnit;
  const degLat = 1 / METRES_PER_DEGREE_LAT;
  const degLon = 1 / (METRES_PER_DEGREE_LAT * Math.cos((placement.centre.lat * Math.PI) / 180));
  // Clockwise rotation: east = x·cos + y·sin, north = −x·sin + y·cos (after centring).
  const a = s * Math.cos(theta) * degLon;
  const b = s * Math.sin(theta) * degLon;
  const d = -s * Math.sin(theta) * degLat;
  const e = s * Math.cos(theta) * degLat;
  return { a, b, c: placement.centre.lon - a * cx - b * cy, d, e, f: placement.centre.lat - d * cx - e * cy };
}

/** A placement that fits the drawing inside a box of the given size (metres) around a centre. */
export function fitPlacement(network: WaterNetwork, centre: { lon: number; lat: number }, sizeMetres: number, rotationDegrees = 0): Placement {
  const box = drawingBounds(network);
  const span = Math.max(box.maxX - box.minX, box.maxY - box.minY) || 1;
  return { centre, metresPerUnit: sizeMetres / span, rotationDegrees };
}

export function applyTransform(t: AffineTransform, x: number, y: number): [number, number] {
  return [round7(t.a * x + t.b * y + t.c), round7(t.d * x + t.e * y + t.f)];
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

export function drawingBounds(network: WaterNetwork): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { x, y } of network.coordinates.values()) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX)) return { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  return { minX, minY, maxX, maxY };
}

export interface GeoJsonFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'LineString'; coordinates: Array<[number, number]> };
  properties: Record<string, string | number | boolean | null>;
}

export interface GeoJsonCollection {
  type: 'FeatureCollection';
  features: GeoJsonFeature[];
}

/** Where a node or link is on the map (a link: the middle of its line). Undefined without coordinates. */
export function elementPosition(network: WaterNetwork, t: AffineTransform, id: string): [number, number] | undefined {
  const node = network.coordinates.get(id);
  if (node) return applyTransform(t, node.x, node.y);
  const link = indexNetwork(network).links.get(id);
  if (!link) return undefined;
  const line = linkLine(network, t, id, link.from, link.to);
  if (!line) return undefined;
  const mid = line[Math.floor((line.length - 1) / 2)]!;
  const next = line[Math.ceil((line.length - 1) / 2)]!;
  return [round7((mid[0] + next[0]) / 2), round7((mid[1] + next[1]) / 2)];
}

function linkLine(network: WaterNetwork, t: AffineTransform, id: string, from: string, to: string): Array<[number, number]> | undefined {
  const a = network.coordinates.get(from);
  const b = network.coordinates.get(to);
  if (!a || !b) return undefined;
  const bends = network.vertices.filter((v) => v.link === id).map((v) => applyTransform(t, v.x, v.y));
  return [applyTransform(t, a.x, a.y), ...bends, applyTransform(t, b.x, b.y)];
}

/**
 * The network as GeoJSON (RFC 7946, WGS84 lon/lat): junctions, tanks and reservoirs as points; pipes,
 * pumps and valves as lines. Elements without coordinates are left out.
 */
export function networkGeoJson(network: WaterNetwork, t: AffineTransform): GeoJsonCollection {
  const features: GeoJsonFeature[] = [];
  const point = (id: string, properties: GeoJsonFeature['properties']): void => {
    const c = network.coordinates.get(id);
    if (c) features.push({ type: 'Feature', id, geometry: { type: 'Point', coordinates: applyTransform(t, c.x, c.y) }, properties: { id, ...properties } });
  };
  for (const j of network.junctions) point(j.id, { kind: 'junction', elevation: j.elevation, baseDemand: j.demands.reduce((s, d) => s + d.base, 0) });
  for (const r of network.reservoirs) point(r.id, { kind: 'reservoir', head: r.head });
  for (const k of network.tanks) point(k.id, { kind: 'tank', elevation: k.elevation, minLevel: k.minLevel, maxLevel: k.maxLevel, diameter: k.diameter });
  const line = (id: string, from: string, to: string, properties: GeoJsonFeature['properties']): void => {
    const coordinates = linkLine(network, t, id, from, to);
    if (coordinates) features.push({ type: 'Feature', id, geometry: { type: 'LineString', coordinates }, properties: { id, from, to, ...properties } });
  };
  for (const p of network.pipes) line(p.id, p.from, p.to, { kind: 'pipe', diameter: p.diameter, length: p.length, status: p.status });
  for (const p of network.pumps) line(p.id, p.from, p.to, { kind: 'pump', headCurve: p.headCurve ?? null });
  for (const v of network.valves) line(v.id, v.from, v.to, { kind: 'valve', valveType: v.type, setting: typeof v.setting === 'number' ? v.setting : null });
  return { type: 'FeatureCollection', features };
}
