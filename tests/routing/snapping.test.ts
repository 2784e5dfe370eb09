import { describe, expect, it } from 'vitest';
import { closestOnSegment, metresBetween } from '../../src/routing/geometry.js';
import { Router } from '../../src/routing/index.js';
import { here, importFile, monacoGraph, randomSource } from './helpers.js';

describe('snapping to the nearest road', () => {
  const town = new Router(importFile(here('fixtures/small-town.osm')));
  const nameOf = (router: Router, segment: number) => router.roads.network.names[router.roads.network.segmentName[segment]!];

  it('finds the road, the point on it, how far along and how far away', () => {
    const at = town.snap([7.4005, 43.70005])!;
    expect(nameOf(town, at.segment)).toBe('Rue Basse');
    expect(at.distanceM).toBeCloseTo(metresBetween(7.4005, 43.70005, 7.4005, 43.7), 1);
    expect(at.lat).toBeCloseTo(43.7, 6);
    // Rue Basse runs 1 → 2 → 3; the point lies halfway between 1 and 2, on the segment 1–2.
    expect(at.fraction).toBeCloseTo(0.5, 3);
  });

  it('snaps only to roads the profile may drive', () => {
    const nearBusway: [number, number] = [7.40052, 43.7015];
    expect(nameOf(town, town.snap(nearBusway, 'emergency')!.segment)).toBe('Voie Bus');
    expect(nameOf(town, town.snap(nearBusway, 'car')!.segment)).not.toBe('Voie Bus');
  });

  it('reports the distance of a far point instead of failing', () => {
    const far = town.snap([7.5, 43.7])!;
    expect(far.distanceM).toBeGreaterThan(7000);
    expect(() => town.snap([200, 43.7])).toThrow(/not a \[lon, lat\]/);
  });

  it('agrees with a brute-force scan over every road piece of Monaco', () => {
    const router = new Router(monacoGraph());
    const { network } = router.roads;
    const projection = router.index.projection;
    const random = randomSource(17);
    for (let i = 0; i < 400; i++) {
      const lon = 7.40 + random() * 0.05;
      const lat = 43.72 + random() * 0.04;
      const found = router.index.nearest(lon, lat, () => true)!;
      let best = Infinity;
      for (let s = 0; s < network.segmentCount; s++) {
        for (let p = network.geometryStart[s]!; p < network.geometryStart[s + 1]! - 1; p++) {
          const { d2 } = closestOnSegment(
            projection.x(lon), projection.y(lat),
            projection.x(network.geometryLon[p]!), projection.y(network.geometryLat[p]!),
            projection.x(network.geometryLon[p + 1]!), projection.y(network.geometryLat[p + 1]!),
          );
          best = Math.min(best, d2);
        }
      }
      const foundProjected = Math.hypot(projection.x(found.lon) - projection.x(lon), projection.y(found.lat) - projection.y(lat));
      expect(foundProjected).toBeCloseTo(Math.sqrt(best), 6);
    }
  });
});
