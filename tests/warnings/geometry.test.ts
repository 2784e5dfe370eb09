import { describe, expect, it } from 'vitest';
import {
  formatCircle,
  GeometryError,
  hullAroundPoints,
  parsePolygon,
  polygonProblems,
  polygonsFromGeoJson,
  type LatLon,
} from '../../src/warnings/index.js';
import { distanceMeters } from '../../src/warnings/geometry.js';
import { CONDAMINE_JUNCTIONS } from './fixtures.js';

/** Ray casting on lat/lon (fine at city scale). */
function inside(p: LatLon, ring: LatLon[]): boolean {
  let result = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.lat > p.lat !== b.lat > p.lat && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) result = !result;
  }
  return result;
}

/** Metres from p to the closest edge, by sampling each edge finely. */
function distanceToEdges(p: LatLon, ring: LatLon[]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    for (let k = 0; k <= 200; k++) {
      const t = k / 200;
      best = Math.min(best, distanceMeters(p, { lat: a.lat + t * (b.lat - a.lat), lon: a.lon + t * (b.lon - a.lon) }));
    }
  }
  return best;
}

describe('areas from geometry', () => {
  it('turns a GeoJSON polygon ([lon, lat]) into a closed CAP polygon ("lat,lon"), dropping holes', () => {
    const { polygon, droppedHoles } = polygonsFromGeoJson({
      type: 'Polygon',
      coordinates: [
        [[7.4177, 43.7347], [7.421, 43.7307], [7.4261, 43.7335], [7.4177, 43.7347]],
        [[7.42, 43.733], [7.421, 43.733], [7.421, 43.734], [7.42, 43.733]],
      ],
    });
    expect(polygon).toEqual(['43.7347,7.4177 43.7307,7.421 43.7335,7.4261 43.7347,7.4177']);
    expect(droppedHoles).toBe(1);
  });

  it('closes an open ring and splits a MultiPolygon into several CAP polygons', () => {
    const { polygon } = polygonsFromGeoJson({
      type: 'MultiPolygon',
      coordinates: [[[[7.41, 43.73], [7.42, 43.73], [7.42, 43.74]]], [[[7.43, 43.73], [7.44, 43.73], [7.44, 43.74], [7.43, 43.73]]]],
    });
    expect(polygon).toHaveLength(2);
    expect(polygon[0]).toBe('43.73,7.41 43.73,7.42 43.74,7.42 43.73,7.41');
    expect(polygon.flatMap(polygonProblems)).toEqual([]);
  });

  it('refuses coordinates outside WGS 84 (e.g. projected metres passed by mistake)', () => {
    expect(() => polygonsFromGeoJson({ type: 'Polygon', coordinates: [[[741000, 4373000], [742000, 4373000], [742000, 4374000], [741000, 4373000]]] })).toThrow(GeometryError);
  });

  it('writes a circle as "lat,lon radius" in km', () => {
    expect(formatCircle({ lat: 43.7384, lon: 7.4246 }, 0.25)).toBe('43.7384,7.4246 0.25');
    expect(() => formatCircle({ lat: 43.7384, lon: 7.4246 }, -1)).toThrow(GeometryError);
  });

  it('draws a hull that keeps every junction at least the buffer away from its edge', () => {
    const polygon = hullAroundPoints(CONDAMINE_JUNCTIONS, 150);
    expect(polygonProblems(polygon)).toEqual([]);
    const ring = parsePolygon(polygon)!;
    for (const junction of CONDAMINE_JUNCTIONS) {
      expect(inside(junction, ring)).toBe(true);
      expect(distanceToEdges(junction, ring)).toBeGreaterThanOrEqual(150);
    }
    // and does not grow much beyond it: the farthest vertex is within buffer / cos(π/16) of some junction
    const slack = 151 / Math.cos(Math.PI / 16) + 1;
    for (const vertex of ring) expect(Math.min(...CONDAMINE_JUNCTIONS.map((j) => distanceMeters(vertex, j)))).toBeLessThanOrEqual(slack);
  });

  it('makes a round area of one point with a buffer, and refuses points that enclose nothing', () => {
    const ring = parsePolygon(hullAroundPoints([{ lat: 43.7384, lon: 7.4246 }], 200))!;
    expect(ring.length).toBe(17);
    expect(distanceToEdges({ lat: 43.7384, lon: 7.4246 }, ring)).toBeGreaterThanOrEqual(200);
    expect(() => hullAroundPoints([{ lat: 43.73, lon: 7.42 }, { lat: 43.74, lon: 7.43 }], 0)).toThrow(/collinear/);
    expect(() => hullAroundPoints([], 100)).toThrow(GeometryError);
  });
});
