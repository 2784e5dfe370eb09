import { distanceMetres } from '../kernel/geo.js';
import { type Placement, type WaterNetwork, applyTransform, drawingBounds, placementTransform } from '../water/index.js';

/**
 * Moves every node of a placed network onto a vertex of the city's streets, so the demo's water network lies
 * along real roads (as pipes do) instead of over the sea or through blocks. Each node takes the nearest road
 * vertex no other node has taken, which keeps nodes apart; pipe bends ([VERTICES]) are dropped, since they
 * followed the original town's streets. Returns the new network and the placement that maps its drawing onto
 * the chosen vertices (a placement centres the drawing's bounds, and the bounds move with the nodes).
 */
export function snapNetworkToStreets(
  network: WaterNetwork,
  placement: Placement,
  streetVertices: Array<[number, number]>,
): { network: WaterNetwork; placement: Placement } {
  const transform = placementTransform(network, placement);
  const det = transform.a * transform.e - transform.b * transform.d;
  if (det === 0) throw new Error('the placement transform cannot be inverted');
  const toDrawing = (lon: number, lat: number): { x: number; y: number } => {
    const u = lon - transform.c;
    const v = lat - transform.f;
    return { x: (transform.e * u - transform.b * v) / det, y: (-transform.d * u + transform.a * v) / det };
  };
  const grid = new VertexGrid(streetVertices, 0.002);
  const taken = new Set<number>();
  const coordinates = new Map<string, { x: number; y: number }>();
  // Tanks, reservoirs and pumps first: the few nodes people look for get the closest streets.
  const order = [...network.coordinates.keys()].sort((a, b) => importance(network, b) - importance(network, a));
  for (const id of order) {
    const c = network.coordinates.get(id)!;
    const lon = transform.a * c.x + transform.b * c.y + transform.c;
    const lat = transform.d * c.x + transform.e * c.y + transform.f;
    const index = grid.nearest([lon, lat], taken) ?? grid.nearest([lon, lat], new Set());
    if (index === null) {
      coordinates.set(id, c);
      continue;
    }
    taken.add(index);
    const [vLon, vLat] = streetVertices[index]!;
    coordinates.set(id, toDrawing(vLon, vLat));
  }
  const snapped: WaterNetwork = { ...network, coordinates, vertices: [] };
  const b = drawingBounds(snapped);
  const [lon, lat] = applyTransform(transform, (b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2);
  return { network: snapped, placement: { ...placement, centre: { lon, lat } } };
}

function importance(network: WaterNetwork, id: string): number {
  if (network.tanks.some((t) => t.id === id) || network.reservoirs.some((r) => r.id === id)) return 2;
  if (network.pumps.some((p) => p.from === id || p.to === id)) return 1;
  return 0;
}

/** A bucket grid over vertices for nearest-vertex lookups (a few hundred nodes over ~16,000 vertices). */
class VertexGrid {
  private readonly cells = new Map<string, number[]>();

  constructor(
    private readonly vertices: Array<[number, number]>,
    private readonly size: number,
  ) {
    vertices.forEach((v, i) => {
      const key = this.key(v[0], v[1]);
      const cell = this.cells.get(key);
      if (cell) cell.push(i);
      else this.cells.set(key, [i]);
    });
  }

  nearest(point: [number, number], exclude: Set<number>): number | null {
    const cx = Math.floor(point[0] / this.size);
    const cy = Math.floor(point[1] / this.size);
    let best: number | null = null;
    let bestDistance = Infinity;
    for (let ring = 0; ring < 50; ring++) {
      for (let dx = -ring; dx <= ring; dx++) {
        for (let dy = -ring; dy <= ring; dy++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
          for (const i of this.cells.get(`${cx + dx}:${cy + dy}`) ?? []) {
            if (exclude.has(i)) continue;
            const d = distanceMetres(point, this.vertices[i]!);
            if (d < bestDistance) {
              bestDistance = d;
              best = i;
            }
          }
        }
      }
      // A vertex found within this ring is nearer than anything two rings out.
      if (best !== null && ring > 0) return best;
    }
    return best;
  }

  private key(lon: number, lat: number): string {
    return `${Math.floor(lon / this.size)}:${Math.floor(lat / this.size)}`;
  }
}
