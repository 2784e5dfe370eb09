import { insideRings, metresBetween, type LocalProjection, type LonLat } from './geometry.js';
import type { ArcSeeds, ProfileEngine } from './profile-engine.js';

/**
 * Reachability polygons. One Dijkstra (bounded by the largest time asked) gives the arrival time at every
 * intersection; each reachable road is sampled into a raster of earliest arrival per cell (each sample also
 * covers the neighbouring cells: a buffer of about one cell). The polygon for T minutes is the outline of the
 * cells reached within T, so polygons are nested by construction: a larger time never covers less.
 */
export interface IsochroneFeature {
  type: 'Feature';
  properties: { minutes: number; areaKm2: number };
  geometry: { type: 'MultiPolygon'; coordinates: LonLat[][][] };
}

export interface IsochroneCollection {
  type: 'FeatureCollection';
  features: IsochroneFeature[];
}

export interface RasterOptions {
  projection: LocalProjection;
  cellSizeM: number;
  closed: Uint8Array | null;
}

export function buildIsochrones(engine: ProfileEngine, seeds: ArcSeeds, startFraction: number, minutes: number[], options: RasterOptions): IsochroneCollection {
  const { network, graph, dijkstra } = engine;
  const limitMs = Math.max(...minutes) * 60_000;
  dijkstra.run(seeds, { maxCost: limitMs, closed: options.closed });

  const { projection } = options;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const gx = network.geometryLon;
  const gy = network.geometryLat;
  for (let i = 0; i < gx.length; i++) {
    const x = projection.x(gx[i]!);
    const y = projection.y(gy[i]!);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  // Keep the raster within a few million cells, whatever the city's extent.
  const cell = Math.max(options.cellSizeM, Math.sqrt(((maxX - minX) * (maxY - minY)) / 4e6));
  minX -= 2 * cell;
  minY -= 2 * cell;
  const columns = Math.ceil((maxX - minX) / cell) + 3;
  const rows = Math.ceil((maxY - minY) / cell) + 3;
  const earliest = new Float64Array(columns * rows).fill(Infinity);

  const mark = (lon: number, lat: number, ms: number): void => {
    const c = Math.floor((projection.x(lon) - minX) / cell);
    const r = Math.floor((projection.y(lat) - minY) / cell);
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        const i = (r + dr) * columns + (c + dc);
        if (ms < earliest[i]!) earliest[i] = ms;
      }
    }
  };
  /** Samples arc `a` between fractions `from`→`to` of its segment, arriving at `from` at `startMs`. */
  const sampleArc = (a: number, from: number, to: number, startMs: number): void => {
    const s = graph.arcSegment[a]!;
    const w = graph.arcWeight[a]!;
    const first = network.geometryStart[s]!;
    const last = network.geometryStart[s + 1]! - 1;
    const total = network.segmentLength[s]!;
    const step = cell / 2;
    let along = 0;
    for (let p = first; p < last; p++) {
      const piece = metresBetween(gx[p]!, gy[p]!, gx[p + 1]!, gy[p + 1]!);
      const samples = Math.max(1, Math.ceil(piece / step));
      for (let k = 0; k <= samples; k++) {
        const t = k / samples;
        const f = total > 0 ? (along + t * piece) / total : 0;
        const driven = graph.arcBackward[a] ? 1 - f : f;
        const fromDriven = graph.arcBackward[a] ? 1 - from : from;
        const toDriven = graph.arcBackward[a] ? 1 - to : to;
        if (driven < fromDriven - 1e-9 || driven > toDriven + 1e-9) continue;
        const ms = startMs + (driven - fromDriven) * w;
        if (ms <= limitMs) mark(gx[p]! + t * (gx[p + 1]! - gx[p]!), gy[p]! + t * (gy[p + 1]! - gy[p]!), ms);
      }
      along += piece;
    }
  };

  for (const a of seeds.arcs) sampleArc(a, startFraction, graph.arcBackward[a] ? 0 : 1, 0);
  const arcTail = engine.incoming.arcTail;
  for (let a = 0; a < graph.arcHead.length; a++) {
    const tail = arcTail[a]!;
    if (!dijkstra.reached(tail) || (options.closed !== null && options.closed[a] === 1)) continue;
    sampleArc(a, graph.arcBackward[a] ? 1 : 0, graph.arcBackward[a] ? 0 : 1, dijkstra.dist[tail]!);
  }

  const features = [...new Set(minutes)]
    .sort((a, b) => a - b)
    .map((m): IsochroneFeature => {
      const limit = m * 60_000;
      const filled = new Uint8Array(earliest.length);
      let count = 0;
      for (let i = 0; i < earliest.length; i++) if (earliest[i]! <= limit) (filled[i] = 1), count++;
      const toLonLat = (x: number, y: number): LonLat => [projection.lon(minX + x * cell), projection.lat(minY + y * cell)];
      const polygons = outline(filled, columns, rows).map((rings) => rings.map((ring) => ring.map(([x, y]) => toLonLat(x, y))));
      return {
        type: 'Feature',
        properties: { minutes: m, areaKm2: Math.round(count * cell * cell) / 1e6 },
        geometry: { type: 'MultiPolygon', coordinates: polygons },
      };
    });
  return { type: 'FeatureCollection', features };
}

type Point = [number, number];
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Outline of the filled cells of a grid as polygons (outer rings counter-clockwise, holes clockwise, as
 * RFC 7946 asks), in grid coordinates. Cells touching only at a corner stay separate polygons.
 */
export function outline(filled: Uint8Array, columns: number, rows: number): Point[][][] {
  const at = (c: number, r: number): boolean => c >= 0 && r >= 0 && c < columns && r < rows && filled[r * columns + c] === 1;
  const stride = columns + 1;
  // Boundary edges keyed by start vertex and direction (0 +x, 1 +y, 2 -x, 3 -y), filled cell on the left.
  const edges = new Map<number, number>();
  const key = (x: number, y: number, d: number): number => (y * stride + x) * 4 + d;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (!at(c, r)) continue;
      if (!at(c, r - 1)) edges.set(key(c, r, 0), 1);
      if (!at(c + 1, r)) edges.set(key(c + 1, r, 1), 1);
      if (!at(c, r + 1)) edges.set(key(c + 1, r + 1, 2), 1);
      if (!at(c - 1, r)) edges.set(key(c, r + 1, 3), 1);
    }
  }
  const outers: Array<{ ring: Point[]; area: number }> = [];
  const holes: Array<{ ring: Point[]; inside: Point }> = [];
  for (const start of edges.keys()) {
    if (edges.get(start) !== 1) continue;
    let x = Math.floor(start / 4) % stride;
    let y = Math.floor(Math.floor(start / 4) / stride);
    let d = start % 4;
    const firstX = x;
    const firstY = y;
    const firstD = d;
    const ring: Point[] = [];
    do {
      edges.set(key(x, y, d), 0);
      ring.push([x, y]);
      x += DX[d]!;
      y += DY[d]!;
      // Prefer turning left, then straight, then right: keeps corner-touching cells apart.
      const options = [(d + 1) % 4, d, (d + 3) % 4];
      const next = options.find((o) => edges.has(key(x, y, o)));
      if (next === undefined || (x === firstX && y === firstY && next === firstD) || edges.get(key(x, y, next)) !== 1) break;
      d = next;
    } while (ring.length <= edges.size);
    const simplified = ring.filter((p, i) => {
      const prev = ring[(i + ring.length - 1) % ring.length]!;
      const next = ring[(i + 1) % ring.length]!;
      return (prev[0] - p[0]) * (next[1] - p[1]) - (prev[1] - p[1]) * (next[0] - p[0]) !== 0;
    });
    simplified.push(simplified[0]!);
    let area = 0;
    for (let i = 0; i + 1 < simplified.length; i++) area += simplified[i]![0] * simplified[i + 1]![1] - simplified[i + 1]![0] * simplified[i]![1];
    // The filled cell left of the first edge lies in the region that surrounds a hole.
    const inside: Point = [firstX + 0.5 * (DX[firstD]! - DY[firstD]!), firstY + 0.5 * (DY[firstD]! + DX[firstD]!)];
    if (area > 0) outers.push({ ring: simplified, area });
    else holes.push({ ring: simplified, inside });
  }
  const polygons: Point[][][] = outers.map((o) => [o.ring]);
  for (const hole of holes) {
    let parent = -1;
    outers.forEach((o, i) => {
      if (insideRings(hole.inside[0], hole.inside[1], [o.ring as LonLat[]]) && (parent < 0 || o.area < outers[parent]!.area)) parent = i;
    });
    if (parent >= 0) polygons[parent]!.push(hole.ring);
  }
  return polygons;
}
