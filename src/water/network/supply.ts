import type { WaterNetwork } from './model.js';
import { applyTransform, type AffineTransform } from './placement.js';

/**
 * The storage that supplies a junction: the tank nearest to it along the pipes (shortest pipe length,
 * pumps and valves counted as zero length, closed pipes left out), or the nearest source when no tank is
 * reachable. A topological estimate for the asset graph ("tank T1 supplies the hospital"), not a
 * hydraulic trace: it ignores flow direction and pump schedules.
 */
export function supplyingStorage(network: WaterNetwork, junction: string): string | null {
  const adjacency = new Map<string, Array<[string, number]>>();
  const edge = (a: string, b: string, length: number): void => {
    (adjacency.get(a) ?? adjacency.set(a, []).get(a)!).push([b, length]);
    (adjacency.get(b) ?? adjacency.set(b, []).get(b)!).push([a, length]);
  };
  for (const p of network.pipes) if (p.status !== 'CLOSED') edge(p.from, p.to, p.length);
  for (const p of network.pumps) edge(p.from, p.to, 0);
  for (const v of network.valves) edge(v.from, v.to, 0);
  const tanks = new Set(network.tanks.map((t) => t.id));
  const sources = new Set(network.reservoirs.map((r) => r.id));
  const distance = new Map<string, number>([[junction, 0]]);
  const done = new Set<string>();
  let nearestSource: string | null = null;
  // Dijkstra with a linear scan for the next node: networks of a few thousand nodes, run at import only.
  const frontier = new Set<string>([junction]);
  while (frontier.size > 0) {
    let node = '';
    let best = Infinity;
    for (const n of frontier) {
      const d = distance.get(n)!;
      if (d < best) {
        best = d;
        node = n;
      }
    }
    frontier.delete(node);
    done.add(node);
    if (tanks.has(node)) return node;
    if (sources.has(node)) nearestSource ??= node;
    for (const [next, length] of adjacency.get(node) ?? []) {
      if (done.has(next)) continue;
      const d = best + length;
      if (d < (distance.get(next) ?? Infinity)) {
        distance.set(next, d);
        frontier.add(next);
      }
    }
  }
  return nearestSource;
}

/** The junction with demand nearest to a point of the map (where a hospital or school draws its water). */
export function nearestJunction(network: WaterNetwork, transform: AffineTransform, point: [number, number]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const cosLat = Math.cos((point[1] * Math.PI) / 180);
  for (const j of network.junctions) {
    if (!j.demands.some((d) => d.base > 0)) continue;
    const c = network.coordinates.get(j.id);
    if (!c) continue;
    const [lon, lat] = applyTransform(transform, c.x, c.y);
    const d = ((lon - point[0]) * cosLat) ** 2 + (lat - point[1]) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = j.id;
    }
  }
  return best;
}
