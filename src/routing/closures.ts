import { closestOnSegment, insideRings, metresBetween, type LonLat } from './geometry.js';
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
  /**
   * Lines drawn by an operator (GeoJSON LineString coordinates). A line drawn *along* streets closes the roads
   * that run beside it (within `LINE_CLOSURE_WIDTH_M`, in its direction, for at least half their length or
   * `LINE_CLOSURE_MIN_ALONG_M`); a line drawn *across* a road closes the road it cuts, away from the road's ends.
   */
  lines?: LonLat[][];
}

export const POINT_CLOSURE_RADIUS_M = 30;
/** How far from a drawn line a road may run and still count as the road the line follows. */
export const LINE_CLOSURE_WIDTH_M = 15;
/** A road running along a line for this long is closed even when that is less than half of it. */
export const LINE_CLOSURE_MIN_ALONG_M = 20;
/** Largest angle between a road and a line for the road to count as running along it. */
const ALONG_MAX_ANGLE_DEG = 30;

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
  for (const line of closure.lines ?? []) {
    if (!Array.isArray(line) || line.length < 2 || line.some((p) => !Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) {
      throw new ClosureError(`closure ${closure.id}: a line needs at least two [lon, lat] positions`);
    }
    addSegmentsOnLine(line, network, index, closed);
  }
  if (closure.area) {
    const polygons = closure.area.type === 'Polygon' ? [closure.area.coordinates] : closure.area.type === 'MultiPolygon' ? closure.area.coordinates : null;
    if (!polygons || polygons.some((p) => !Array.isArray(p) || p.some((ring) => !Array.isArray(ring) || ring.length < 4))) {
      throw new ClosureError(`closure ${closure.id}: area must be a GeoJSON Polygon or MultiPolygon`);
    }
    for (const rings of polygons) addSegmentsInPolygon(rings, network, index, closed);
  }
  if (!closure.area && !closure.segments?.length && !closure.points?.length && !closure.lines?.length) {
    throw new ClosureError(`closure ${closure.id} names no area, line, segment or point`);
  }
  return Int32Array.from([...closed].sort((a, b) => a - b));
}

/**
 * The roads a drawn line closes. Along: every road piece is sampled every few metres; a sample counts when it
 * lies within the width of a line piece running in nearly the same direction (so cross streets met at a
 * junction do not count). Across: a line piece that cuts a road piece away from the road's two ends.
 */
function addSegmentsOnLine(line: LonLat[], network: RoadNetwork, index: RoadIndex, closed: Set<number>): void {
  const proj = index.projection;
  const lx = line.map(([lon]) => proj.x(lon));
  const ly = line.map(([, lat]) => proj.y(lat));
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const [lon, lat] of line) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  const padLon = LINE_CLOSURE_WIDTH_M / proj.metresPerDegreeLon;
  const padLat = LINE_CLOSURE_WIDTH_M / proj.metresPerDegreeLat;
  const gx = network.geometryLon;
  const gy = network.geometryLat;
  const along = new Map<number, number>();
  const seen = new Set<number>();
  const cosMax = Math.cos((ALONG_MAX_ANGLE_DEG * Math.PI) / 180);
  const width2 = LINE_CLOSURE_WIDTH_M * LINE_CLOSURE_WIDTH_M;
  index.piecesNear(minLon - padLon, minLat - padLat, maxLon + padLon, maxLat + padLat, (segment, piece) => {
    if (closed.has(segment) || seen.has(piece)) return;
    seen.add(piece);
    const ax = proj.x(gx[piece]!), ay = proj.y(gy[piece]!), bx = proj.x(gx[piece + 1]!), by = proj.y(gy[piece + 1]!);
    const length = Math.hypot(bx - ax, by - ay);
    if (length === 0) return;
    const ux = (bx - ax) / length, uy = (by - ay) / length;
    // Along: samples of this piece near a line piece of the same direction (either way).
    const samples = Math.max(1, Math.ceil(length / 2));
    let covered = 0;
    for (let k = 0; k < samples; k++) {
      const t = (k + 0.5) / samples;
      const px = ax + t * (bx - ax), py = ay + t * (by - ay);
      for (let i = 0; i + 1 < line.length; i++) {
        const vx = lx[i + 1]! - lx[i]!, vy = ly[i + 1]! - ly[i]!;
        const vl = Math.hypot(vx, vy);
        if (vl === 0 || Math.abs((ux * vx + uy * vy) / vl) < cosMax) continue;
        // Only beside the line, not beyond its ends (a metre of slack where two of its pieces meet).
        const metresAlongLine = ((px - lx[i]!) * vx + (py - ly[i]!) * vy) / vl;
        if (metresAlongLine < -1 || metresAlongLine > vl + 1) continue;
        if (closestOnSegment(px, py, lx[i]!, ly[i]!, lx[i + 1]!, ly[i + 1]!).d2 <= width2) {
          covered += length / samples;
          break;
        }
      }
    }
    if (covered > 0) along.set(segment, (along.get(segment) ?? 0) + covered);
    // Across: a cut far enough from the road's ends that it is not a street running past a junction.
    const segmentLength = network.segmentLength[segment]!;
    const endMargin = Math.min(LINE_CLOSURE_WIDTH_M, segmentLength / 4);
    for (let i = 0; i + 1 < line.length; i++) {
      const cut = crossingShare(ax, ay, bx, by, lx[i]!, ly[i]!, lx[i + 1]!, ly[i + 1]!);
      if (cut === null) continue;
      const fromStart = metresAlongSegment(network, segment, piece, cut);
      if (fromStart >= endMargin && segmentLength - fromStart >= endMargin) {
        closed.add(segment);
        return;
      }
    }
  });
  for (const [segment, metres] of along) {
    if (metres >= Math.min(network.segmentLength[segment]! / 2, LINE_CLOSURE_MIN_ALONG_M)) closed.add(segment);
  }
}

/** Where (share of a→b) segment a-b properly crosses segment c-d, or null. */
function crossingShare(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): number | null {
  if (!segmentsCross(ax, ay, bx, by, cx, cy, dx, dy)) return null;
  const rx = bx - ax, ry = by - ay, sx = dx - cx, sy = dy - cy;
  const denominator = rx * sy - ry * sx;
  if (denominator === 0) return null;
  return ((cx - ax) * sy - (cy - ay) * sx) / denominator;
}

/** Metres from the start of a segment to share `t` of one of its pieces. */
function metresAlongSegment(network: RoadNetwork, segment: number, piece: number, t: number): number {
  const gx = network.geometryLon;
  const gy = network.geometryLat;
  let metres = 0;
  for (let p = network.geometryStart[segment]!; p < piece; p++) metres += metresBetween(gx[p]!, gy[p]!, gx[p + 1]!, gy[p + 1]!);
  return metres + t * metresBetween(gx[piece]!, gy[piece]!, gx[piece + 1]!, gy[piece + 1]!);
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

/** A GeoJSON geometry as Vigil stores closures: polygons are areas, lines are drawn lines, points are clicks on roads. */
export type ClosureGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint'; coordinates: number[][] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

/**
 * A closure from a stored GeoJSON geometry. Closures are kept as geometry, never as segment ids, because segment
 * ids change with every import of the roads; the geometry is compiled again against whichever graph is in service.
 */
export function closureFromGeometry(id: string, geometry: ClosureGeometry, startsAt: number, endsAt: number | null): RoadClosure {
  const at = (p: number[]): LonLat => [p[0]!, p[1]!];
  const base = { id, startsAt, endsAt };
  switch (geometry.type) {
    case 'Point':
      return { ...base, points: [at(geometry.coordinates)] };
    case 'MultiPoint':
      return { ...base, points: geometry.coordinates.map(at) };
    case 'LineString':
      return { ...base, lines: [geometry.coordinates.map(at)] };
    case 'MultiLineString':
      return { ...base, lines: geometry.coordinates.map((l) => l.map(at)) };
    case 'Polygon':
      return { ...base, area: { type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(at)) } };
    case 'MultiPolygon':
      return { ...base, area: { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(at))) } };
    default:
      throw new ClosureError(`closure ${id}: unsupported geometry type ${JSON.stringify((geometry as { type?: unknown }).type)}`);
  }
}
