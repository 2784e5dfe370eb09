import { insideRings, type LonLat } from './geometry.js';
import type { ProfileGraph } from './profile-graph.js';
import type { RoadIndex } from './road-index.js';
import type { RoadNetwork } from './road-network.js';

/**
 * Live road closures: an incident area or a closure drawn by an operator, with a start and an end time.
 * A closure closes road segments in both directions. Closures never touch the preprocessed hierarchy:
 * each query asks which arcs are closed at its `now` and the router keeps its answer exact (see router.ts).
 */
export interface RoadClosure {
  id: string;
  /** Epoch milliseconds; the closure applies from `startsAt` (inclusive) until `endsAt` (exclusive; null = until lifted). */
  startsAt: number;
  endsAt: number | null;
  /** GeoJSON Polygon or MultiPolygon ([lon, lat]): every road with any part inside is closed. */
  area?: { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] };
  /** Roads picked by segment id. */
  segments?: number[];
  /** Points on roads (an operator's clicks): each closes the nearest road within `POINT_CLOSURE_RADIUS_M`. */
  points?: LonLat[];
}

export const POINT_CLOSURE_RADIUS_M = 30;

export class ClosureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClosureError';
  }
}

export function isActive(closure: RoadClosure, now: number): boolean {
  return closure.startsAt <= now && (closure.endsAt === null || now < closure.endsAt);
}

/** The segments a closure closes. Throws ClosureError for a closure that names nothing or is malformed. */
export function closedSegments(closure: RoadClosure, network: RoadNetwork, index: RoadIndex): Int32Array {
  const closed = new Set<number>();
  if (!(typeof closure.startsAt === 'number' && (closure.endsAt === null || typeof closure.endsAt === 'number'))) {
    throw new ClosureError(`closure ${closure.id}: startsAt and endsAt must be epoch milliseconds`);
  }
  if (closure.endsAt !== null && closure.endsAt <= closure.startsAt) throw new ClosureError(`closure ${closure.id} ends before it starts`);
  for (const s of closure.segments ?? []) {
    if (!Number.isInteger(s) || s < 0 || s >= network.segmentCount) throw new ClosureError(`closure ${closure.id}: no road segment ${s}`);
    closed.add(s);
  }
  for (const [lon, lat] of closure.points ?? []) {
    const at = index.nearest(lon, lat, () => true, POINT_CLOSURE_RADIUS_M);
    if (!at || at.distanceM > POINT_CLOSURE_RADIUS_M) {
      throw new ClosureError(`closure ${closure.id}: no road within ${POINT_CLOSURE_RADIUS_M} m of ${lon},${lat}`);
    }
    closed.add(at.segment);
  }
  if (closure.area) {
    const polygons = closure.area.type === 'Polygon' ? [closure.area.coordinates] : closure.area.type === 'MultiPolygon' ? closure.area.coordinates : null;
    if (!polygons || polygons.some((p) => !Array.isArray(p) || p.some((ring) => !Array.isArray(ring) || ring.length < 4))) {
      throw new ClosureError(`closure ${closure.id}: area must be a GeoJSON Polygon or MultiPolygon`);
    }
    for (const rings of polygons) addSegmentsInPolygon(rings, network, index, closed);
  }
  if (!closure.area && !closure.segments?.length && !closure.points?.length) {
    throw new ClosureError(`closure ${closure.id} names no area, segment or point`);
  }
  return Int32Array.from([...closed].sort((a, b) => a - b));
}

function addSegmentsInPolygon(rings: LonLat[][], network: RoadNetwork, index: RoadIndex, closed: Set<number>): void {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
  }
  const gx = network.geometryLon;
  const gy = network.geometryLat;
  index.piecesNear(minLon, minLat, maxLon, maxLat, (segment, piece) => {
    if (closed.has(segment)) return;
    const ax = gx[piece]!, ay = gy[piece]!, bx = gx[piece + 1]!, by = gy[piece + 1]!;
    if (insideRings(ax, ay, rings) || insideRings(bx, by, rings) || crossesAnyRing(ax, ay, bx, by, rings)) closed.add(segment);
  });
}

function crossesAnyRing(ax: number, ay: number, bx: number, by: number, rings: LonLat[][]): boolean {
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [cx, cy] = ring[i]!;
      const [dx, dy] = ring[i + 1]!;
      if (segmentsCross(ax, ay, bx, by, cx, cy, dx, dy)) return true;
    }
  }
  return false;
}

function segmentsCross(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  const d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  const d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Closed arcs of a profile graph for a set of closed segments (1 = closed); arcs derived from a closed segment, copies included. */
export function closedArcs(graph: ProfileGraph, closedSegment: Uint8Array): Uint8Array {
  const mask = new Uint8Array(graph.arcHead.length);
  for (let a = 0; a < mask.length; a++) mask[a] = closedSegment[graph.arcSegment[a]!]!;
  return mask;
}
