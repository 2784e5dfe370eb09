/**
 * Warning areas from geometry, in CAP's wire form. CAP writes a coordinate pair "latitude,longitude" in
 * WGS 84 decimal degrees (CAP 1.2 §1.5, §3.3.1), where GeoJSON (RFC 7946) writes [longitude, latitude].
 * Distances are planar around the area's mean latitude: right for a city, wrong across the antimeridian or
 * near the poles, where no Vigil city is.
 */

export interface LatLon {
  lat: number;
  lon: number;
}

export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface GeoJsonMultiPolygon {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}

export class GeometryError extends Error {
  override name = 'GeometryError';
}

const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

/** A coordinate pair with at most 6 decimals (about 0.1 m), never in exponent notation. */
export function formatCoordinatePair(point: LatLon): string {
  assertLatLon(point);
  return `${formatDecimal(point.lat)},${formatDecimal(point.lon)}`;
}

export function formatDecimal(value: number, decimals = 6): string {
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** A closed CAP polygon from a ring of points; the ring is closed here when it is not already. */
export function formatPolygon(ring: readonly LatLon[]): string {
  const pairs = ring.map(formatCoordinatePair);
  if (pairs.length > 0 && pairs[0] !== pairs[pairs.length - 1]) pairs.push(pairs[0]!);
  if (pairs.length < 4) throw new GeometryError(`a polygon needs at least 3 distinct points, got ${ring.length}`);
  return pairs.join(' ');
}

/** A CAP circle: centre, a space, and the radius in kilometres. */
export function formatCircle(centre: LatLon, radiusKm: number): string {
  if (!Number.isFinite(radiusKm) || radiusKm < 0) throw new GeometryError(`radius must be ≥ 0 km, got ${radiusKm}`);
  return `${formatCoordinatePair(centre)} ${formatDecimal(radiusKm, 3)}`;
}

/**
 * CAP polygons from a GeoJSON Polygon or MultiPolygon: one per exterior ring. CAP has no holes, so interior
 * rings are dropped, which widens the warned area (the safe direction); `droppedHoles` says how many.
 */
export function polygonsFromGeoJson(geometry: GeoJsonPolygon | GeoJsonMultiPolygon): {
  polygon: string[];
  droppedHoles: number;
} {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) throw new GeometryError('the geometry has no polygon');
  let droppedHoles = 0;
  const polygon = polygons.map((rings) => {
    const exterior = rings[0];
    if (!exterior) throw new GeometryError('a GeoJSON polygon has no exterior ring');
    droppedHoles += rings.length - 1;
    return formatPolygon(
      exterior.map((position) => {
        if (!Array.isArray(position) || position.length < 2) throw new GeometryError('a GeoJSON position needs [lon, lat]');
        return { lon: position[0]!, lat: position[1]! };
      }),
    );
  });
  return { polygon, droppedHoles };
}

/**
 * The polygon that covers every point and everything within `bufferMeters` of one: the convex hull of the
 * points, each grown into a circle. Each circle is sampled as a polygon drawn around it (not inscribed), so
 * the result never falls short of the buffer. Used for the junctions a contaminant reaches, or the places
 * a crowd gathers.
 */
export function hullAroundPoints(points: readonly LatLon[], bufferMeters: number, segments = 16): string {
  if (points.length === 0) throw new GeometryError('a hull needs at least one point');
  if (!Number.isFinite(bufferMeters) || bufferMeters < 0) throw new GeometryError(`buffer must be ≥ 0 m, got ${bufferMeters}`);
  points.forEach(assertLatLon);
  const lat0 = points.reduce((sum, p) => sum + p.lat, 0) / points.length;
  const lon0 = points.reduce((sum, p) => sum + p.lon, 0) / points.length;
  const cosLat = Math.cos(lat0 * DEG);
  const toXY = (p: LatLon): [number, number] => [
    (p.lon - lon0) * DEG * EARTH_RADIUS_M * cosLat,
    (p.lat - lat0) * DEG * EARTH_RADIUS_M,
  ];
  const toLatLon = ([x, y]: [number, number]): LatLon => ({
    lat: lat0 + y / EARTH_RADIUS_M / DEG,
    lon: lon0 + x / (EARTH_RADIUS_M * cosLat) / DEG,
  });
  const cloud: Array<[number, number]> = [];
  // 1 m more covers rounding coordinates to 6 decimals (about 0.1 m) and the planar approximation.
  const outer = bufferMeters === 0 ? 0 : (bufferMeters + 1) / Math.cos(Math.PI / segments);
  for (const p of points) {
    const [x, y] = toXY(p);
    if (bufferMeters === 0) cloud.push([x, y]);
    else for (let i = 0; i < segments; i++) {
      const a = (2 * Math.PI * i) / segments;
      cloud.push([x + outer * Math.cos(a), y + outer * Math.sin(a)]);
    }
  }
  const hull = convexHull(cloud);
  if (hull.length < 3) throw new GeometryError('the points are collinear or the same: give a buffer greater than 0 m');
  return formatPolygon(hull.map(toLatLon));
}

/** Andrew's monotone chain; counter-clockwise, without repeating the first point. */
export function convexHull(points: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const cross = (o: [number, number], a: [number, number], b: [number, number]): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Metres between two points (haversine), for tests and for describing an area's size. */
export function distanceMeters(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * DEG;
  const dLon = (b.lon - a.lon) * DEG;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * DEG) * Math.cos(b.lat * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The points of a CAP polygon, or null when it is not a list of coordinate pairs. */
export function parsePolygon(polygon: string): LatLon[] | null {
  const pairs = polygon.trim().split(/\s+/);
  const points = pairs.map(parseCoordinatePair);
  return points.every((p): p is LatLon => p !== null) ? points : null;
}

/** "lat,lon" as decimals, or null. Range is not checked here (rules.ts explains it). */
export function parseCoordinatePair(pair: string): LatLon | null {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)),([+-]?(?:\d+\.?\d*|\.\d+))$/.exec(pair);
  return m ? { lat: Number(m[1]), lon: Number(m[2]) } : null;
}

/** Centre and radius of a CAP circle, or null when it is not of the form "lat,lon radius". */
export function parseCircle(circle: string): { centre: LatLon; radiusKm: number } | null {
  const m = /^(\S+)\s+([+-]?(?:\d+\.?\d*|\.\d+))$/.exec(circle.trim());
  const centre = m ? parseCoordinatePair(m[1]!) : null;
  return m && centre ? { centre, radiusKm: Number(m[2]) } : null;
}

export function isWithinWgs84(point: LatLon): boolean {
  return point.lat >= -90 && point.lat <= 90 && point.lon >= -180 && point.lon <= 180;
}

function assertLatLon(point: LatLon): void {
  if (!Number.isFinite(point.lat) || !Number.isFinite(point.lon) || !isWithinWgs84(point)) {
    throw new GeometryError(`(${point.lat}, ${point.lon}) is not a WGS 84 latitude,longitude`);
  }
}
