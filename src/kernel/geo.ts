/**
 * GeoJSON geometries (RFC 7946) as Vigil stores them: WGS 84 longitude/latitude. The JSON schema
 * checks the shape; this checks what a schema cannot: coordinate ranges, closed rings with at least four
 * positions, lines with at least two.
 */
export type Position = [number, number] | [number, number, number];

export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Returns what is wrong with a geometry, or null when it is valid. */
export function geometryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'a geometry must be a GeoJSON object';
  const g = value as { type?: unknown; coordinates?: unknown };
  const c = g.coordinates;
  switch (g.type) {
    case 'Point':
      return positionProblem(c, 'coordinates');
    case 'MultiPoint':
      return listProblem(c, 'coordinates', 1, (p, path) => positionProblem(p, path));
    case 'LineString':
      return lineProblem(c, 'coordinates');
    case 'MultiLineString':
      return listProblem(c, 'coordinates', 1, (l, path) => lineProblem(l, path));
    case 'Polygon':
      return polygonProblem(c, 'coordinates');
    case 'MultiPolygon':
      return listProblem(c, 'coordinates', 1, (p, path) => polygonProblem(p, path));
    default:
      return `unsupported geometry type ${JSON.stringify(g.type)}: use Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon`;
  }
}

function positionProblem(p: unknown, path: string): string | null {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return `${path} must be a position [longitude, latitude] of finite numbers`;
  }
  const [lon, lat] = p as number[];
  if (lon! < -180 || lon! > 180) return `${path}: longitude ${lon} is outside -180..180`;
  if (lat! < -90 || lat! > 90) return `${path}: latitude ${lat} is outside -90..90`;
  return null;
}

function listProblem(value: unknown, path: string, min: number, each: (item: unknown, path: string) => string | null): string | null {
  if (!Array.isArray(value) || value.length < min) return `${path} must be an array of at least ${min}`;
  for (let i = 0; i < value.length; i++) {
    const problem = each(value[i], `${path}[${i}]`);
    if (problem) return problem;
  }
  return null;
}

function lineProblem(value: unknown, path: string): string | null {
  return listProblem(value, path, 2, positionProblem);
}

function polygonProblem(value: unknown, path: string): string | null {
  return listProblem(value, path, 1, (ring, ringPath) => {
    const problem = listProblem(ring, ringPath, 4, positionProblem);
    if (problem) return `${problem} (a linear ring needs at least four positions)`;
    const r = ring as number[][];
    const first = r[0]!;
    const last = r[r.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) return `${ringPath} is not closed: its last position must equal its first`;
    return null;
  });
}

function positionsOf(g: Geometry): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
  }
}

export function bboxOf(g: Geometry): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const [lon, lat] of positionsOf(g)) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  return { minLon, minLat, maxLon, maxLat };
}

/** A representative point (bbox centre, or the point itself) for maps and distance rules. */
export function anchorOf(g: Geometry): [number, number] {
  if (g.type === 'Point') return [g.coordinates[0], g.coordinates[1]];
  const b = bboxOf(g);
  return [(b.minLon + b.maxLon) / 2, (b.minLat + b.maxLat) / 2];
}

/** Parses `minLon,minLat,maxLon,maxLat` as used by the `bbox` query parameter; null when malformed. */
export function parseBBox(text: string): BBox | null {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
  if (minLon > maxLon || minLat > maxLat || minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) return null;
  return { minLon, minLat, maxLon, maxLat };
}

/** Great-circle distance in metres (haversine), for place-and-time rules and snapping messages. */
export function distanceMetres(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
