/** Small spherical-earth helpers; city distances make the haversine/equirectangular error negligible. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export type LonLat = [lon: number, lat: number];

export function metresBetween(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Initial compass bearing (degrees, 0 = north, clockwise) from the first point to the second. */
export function bearing(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const y = Math.sin((lon2 - lon1) * RAD) * Math.cos(lat2 * RAD);
  const x = Math.cos(lat1 * RAD) * Math.sin(lat2 * RAD) - Math.sin(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.cos((lon2 - lon1) * RAD);
  return (Math.atan2(y, x) / RAD + 360) % 360;
}

/**
 * A local flat projection (metres east/north of an origin). Good to well under a metre across a city,
 * which is all snapping, closures and isochrones need.
 */
export class LocalProjection {
  readonly metresPerDegreeLat = EARTH_RADIUS_M * RAD;
  readonly metresPerDegreeLon: number;

  constructor(
    readonly originLon: number,
    readonly originLat: number,
  ) {
    this.metresPerDegreeLon = this.metresPerDegreeLat * Math.cos(originLat * RAD);
  }

  x(lon: number): number {
    return (lon - this.originLon) * this.metresPerDegreeLon;
  }

  y(lat: number): number {
    return (lat - this.originLat) * this.metresPerDegreeLat;
  }

  lon(x: number): number {
    return this.originLon + x / this.metresPerDegreeLon;
  }

  lat(y: number): number {
    return this.originLat + y / this.metresPerDegreeLat;
  }
}

/** Where the closest point of segment a-b to p lies, as a share t of a→b (0..1), and its squared distance. */
export function closestOnSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): { t: number; d2: number } {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const cx = ax + t * dx - px;
  const cy = ay + t * dy - py;
  return { t, d2: cx * cx + cy * cy };
}

/** Even-odd point-in-polygon over rings of [lon, lat] (holes included). */
export function insideRings(lon: number, lat: number, rings: LonLat[][]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
