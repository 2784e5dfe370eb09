import { beforeAll, describe, expect, it } from 'vitest';
import { insideRings, type LonLat } from '../../src/routing/geometry.js';
import { outline } from '../../src/routing/isochrone.js';
import { Router, type IsochroneCollection } from '../../src/routing/index.js';
import { monacoGraph, randomMonacoPoint, randomRoadPoint, randomSource } from './helpers.js';

const now = Date.parse('2026-03-01T08:00:00Z');
const insideFeature = (point: LonLat, polygons: LonLat[][][]): boolean => polygons.some((rings) => insideRings(point[0], point[1], rings));

function signedArea(ring: Array<[number, number]>): number {
  let area = 0;
  for (let i = 0; i + 1 < ring.length; i++) area += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return area / 2;
}

describe('outline of raster cells', () => {
  it('traces outer rings counter-clockwise and holes clockwise, and keeps corner-touching cells apart', () => {
    // A 3 x 3 block with its centre empty (one polygon with one hole), and a cell touching it only at a corner.
    const columns = 5;
    const rows = 5;
    const filled = new Uint8Array(columns * rows);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) if (!(r === 1 && c === 1)) filled[r * columns + c] = 1;
    filled[3 * columns + 3] = 1;
    const polygons = outline(filled, columns, rows);
    expect(polygons).toHaveLength(2);
    const block = polygons.find((p) => p.length === 2)!;
    expect(signedArea(block[0]!)).toBe(9);
    expect(signedArea(block[1]!)).toBe(-1);
    const corner = polygons.find((p) => p.length === 1)!;
    expect(signedArea(corner[0]!)).toBe(1);
    for (const polygon of polygons) for (const ring of polygon) expect(ring[0]).toEqual(ring[ring.length - 1]);
  });
});

describe('isochrones on Monaco', () => {
  let router: Router;
  beforeAll(() => {
    router = new Router(monacoGraph());
  });

  const features = (answer: ReturnType<Router['isochrones']>): IsochroneCollection => {
    if (answer.status !== 'found') throw new Error(answer.message);
    return answer.isochrones;
  };

  it('are monotone: a longer time covers everything a shorter one does, and more', () => {
    const random = randomSource(5);
    for (let trial = 0; trial < 4; trial++) {
      const at = randomRoadPoint(router, random, 'emergency');
      const answer = router.isochrones({ at, minutes: [6, 1, 2, 4], now, profile: 'emergency' });
      const { features: list } = features(answer);
      expect(list.map((f) => f.properties.minutes)).toEqual([1, 2, 4, 6]);
      for (let i = 1; i < list.length; i++) expect(list[i]!.properties.areaKm2).toBeGreaterThanOrEqual(list[i - 1]!.properties.areaKm2);
      expect(list[3]!.properties.areaKm2).toBeGreaterThan(list[0]!.properties.areaKm2);
      // Sample points: inside a shorter isochrone implies inside every longer one.
      let insideShort = 0;
      for (let k = 0; k < 1500; k++) {
        const p = randomMonacoPoint(random);
        const inside = list.map((f) => insideFeature(p, f.geometry.coordinates));
        for (let i = 1; i < inside.length; i++) if (inside[i - 1]) expect(inside[i]).toBe(true);
        if (inside[0]) insideShort++;
      }
      expect(insideFeature(at, list[0]!.geometry.coordinates)).toBe(true);
      expect(insideShort).toBeGreaterThanOrEqual(0);
    }
  });

  it('cover places a route reaches in time and leave out places it does not', () => {
    const at: LonLat = [7.4197, 43.7315];
    const { features: list } = features(router.isochrones({ at, minutes: [3], now }));
    const random = randomSource(8);
    let checked = 0;
    let outside = 0;
    for (let k = 0; k < 300; k++) {
      const p = randomRoadPoint(router, random);
      const route = router.route({ from: at, to: p, now });
      if (route.status !== 'found') continue;
      const end = route.geometry.coordinates[route.geometry.coordinates.length - 1]!;
      // Clear margins either side of the limit, since the raster works in cells of tens of metres.
      const inside = insideFeature(end, list[0]!.geometry.coordinates);
      if (route.travelTimeS < 150) expect(inside).toBe(true);
      if (route.travelTimeS > 300 && !inside) outside++;
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
    expect(outside).toBeGreaterThan(10);
  });

  it('shrink when a closure blocks the way, and never grow', () => {
    const at: LonLat = [7.4197, 43.7315];
    const open = features(router.isochrones({ at, minutes: [4], now })).features[0]!.properties.areaKm2;
    const d = 0.002;
    router.setClosure({ id: 'ring', startsAt: now, endsAt: null, area: { type: 'Polygon', coordinates: [[[7.4197 + 0.001, 43.7315 - d], [7.4197 + 0.003, 43.7315 - d], [7.4197 + 0.003, 43.7315 + d], [7.4197 + 0.001, 43.7315 + d], [7.4197 + 0.001, 43.7315 - d]]] } });
    try {
      const closed = features(router.isochrones({ at, minutes: [4], now })).features[0]!.properties.areaKm2;
      expect(closed).toBeLessThanOrEqual(open);
    } finally {
      router.removeClosure('ring');
    }
  });

  it('rejects minutes out of range', () => {
    expect(() => router.isochrones({ at: [7.4197, 43.7315], minutes: [0], now })).toThrow(/minutes/);
    expect(() => router.isochrones({ at: [7.4197, 43.7315], minutes: [], now })).toThrow(/minutes/);
  });
});
