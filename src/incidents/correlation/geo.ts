import type { GeoPoint } from './model.js';

const EARTH_RADIUS_M = 6_371_008.8;
const METRES_PER_DEGREE_LAT = 111_320;

/** Great-circle distance in metres between two WGS 84 points (haversine; ample at city scale). */
export function distanceMetres(a: GeoPoint, b: GeoPoint): number {
  const [lon1, lat1] = a.coordinates;
  const [lon2, lat2] = b.coordinates;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function isGeoPoint(p: unknown): p is GeoPoint {
  if (typeof p !== 'object' || p === null) return false;
  const g = p as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'Point' || !Array.isArray(g.coordinates) || g.coordinates.length < 2) return false;
  const [lon, lat] = g.coordinates as unknown[];
  return typeof lon === 'number' && typeof lat === 'number' && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
}

/**
 * Square grid cells about `cellMetres` wide, so "within r metres" needs only the point's cell and its eight
 * neighbours when cells are at least r wide. Longitude cells are widened with the latitude's cosine.
 */
export function cellOf(p: GeoPoint, cellMetres: number): { x: number; y: number } {
  const [lon, lat] = p.coordinates;
  const degLat = cellMetres / METRES_PER_DEGREE_LAT;
  const degLon = cellMetres / (METRES_PER_DEGREE_LAT * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return { x: Math.floor(lon / degLon), y: Math.floor(lat / degLat) };
}

export function cellKey(x: number, y: number): string {
  return `${x}/${y}`;
}

/** The point as `lat,lon` with five decimals (about a metre), the form people read. */
export function placeLabel(p: GeoPoint): string {
  return `${p.coordinates[1].toFixed(5)},${p.coordinates[0].toFixed(5)}`;
}
