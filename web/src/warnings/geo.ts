// Areas as pictures: drawn shapes and CAP's own polygons and circles as GeoJSON for the map. Pure.
import type { AreaDraft, CapArea } from './types';

const EARTH = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** Great-circle distance in metres between two [lon, lat]. */
export function distanceMeters(a: [number, number], b: [number, number]): number {
  const dLat = rad(b[1] - a[1]);
  const dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A closed ring of `sides` points around a centre, for drawing a circle on the map. */
export function circleRing(center: [number, number], radiusMeters: number, sides = 64): Array<[number, number]> {
  const [lon, lat] = center.map(rad) as [number, number];
  const d = radiusMeters / EARTH;
  const ring: Array<[number, number]> = [];
  for (let i = 0; i <= sides; i++) {
    const bearing = (2 * Math.PI * (i % sides)) / sides;
    const lat2 = Math.asin(Math.sin(lat) * Math.cos(d) + Math.cos(lat) * Math.sin(d) * Math.cos(bearing));
    const lon2 = lon + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat), Math.cos(d) - Math.sin(lat) * Math.sin(lat2));
    ring.push([deg(lon2), deg(lat2)]);
  }
  return ring;
}

const feature = (coordinates: Array<Array<[number, number]>>, properties: Record<string, unknown>): GeoJSON.Feature => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates }, properties });

/** The drawn areas as polygons (an incident-derived area has no shape until the server derives it). */
export function draftFeatures(areas: readonly AreaDraft[]): GeoJSON.Feature[] {
  return areas.flatMap((a, index): GeoJSON.Feature[] => {
    if (a.kind === 'circle') return [feature([circleRing(a.center, a.radiusMeters)], { index, label: a.areaDesc })];
    if (a.kind === 'polygon' && a.ring.length >= 3) return [feature([[...a.ring, a.ring[0]!]], { index, label: a.areaDesc })];
    return [];
  });
}

/** "43.73,7.42" → [7.42, 43.73]; null when it is not a pair of numbers. */
function capPoint(text: string): [number, number] | null {
  const [lat, lon] = text.split(',').map(Number);
  return Number.isFinite(lat) && Number.isFinite(lon) ? [lon!, lat!] : null;
}

/** CAP areas (polygons "lat,lon …", circles "lat,lon km") as GeoJSON polygons. */
export function capAreaFeatures(areas: readonly CapArea[]): GeoJSON.Feature[] {
  const out: GeoJSON.Feature[] = [];
  areas.forEach((a, index) => {
    for (const p of a.polygon ?? []) {
      const ring = p.trim().split(/\s+/).map(capPoint).filter((x): x is [number, number] => x !== null);
      if (ring.length >= 3) out.push(feature([ring], { index, label: a.areaDesc }));
    }
    for (const c of a.circle ?? []) {
      const [centre, km] = c.trim().split(/\s+/);
      const point = centre ? capPoint(centre) : null;
      const radius = Number(km);
      if (point && Number.isFinite(radius)) out.push(feature([circleRing(point, radius * 1000)], { index, label: a.areaDesc }));
    }
  });
  return out;
}

/** Every corner of some polygons, to fit the map to them. */
export function cornersOf(features: readonly GeoJSON.Feature[]): Array<[number, number]> {
  return features.flatMap((f) => (f.geometry.type === 'Polygon' ? (f.geometry.coordinates.flat() as Array<[number, number]>) : []));
}
