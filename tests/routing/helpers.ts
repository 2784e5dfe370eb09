import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importRoadGraph, Router, type RoadGraph } from '../../src/routing/index.js';

export const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

export function importFile(path: string): RoadGraph {
  return importRoadGraph({ bytes: readFileSync(path), fileName: path, importedAt: '2026-01-01T00:00:00.000Z' });
}

let monaco: RoadGraph | undefined;
/** The Monaco graph, imported once per test file. */
export function monacoGraph(): RoadGraph {
  monaco ??= importFile(here('../../data-seed/osm/monaco.osm.pbf'));
  return monaco;
}

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Monaco's built-up area, where random points fall near roads. */
export function randomMonacoPoint(random: () => number): [number, number] {
  return [7.409 + random() * 0.031, 43.725 + random() * 0.027];
}

export function newRouter(graph: RoadGraph): Router {
  return new Router(graph);
}

/** A random point right on a road the profile may drive (what a unit's AVL or a clicked incident gives). */
export function randomRoadPoint(router: Router, random: () => number, profile: 'car' | 'emergency' = 'car'): [number, number] {
  for (;;) {
    const at = router.snap(randomMonacoPoint(random), profile);
    if (at && at.distanceM < 100) return [at.lon, at.lat];
  }
}
