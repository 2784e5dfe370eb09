import { distanceMetres } from '../kernel/geo.js';

interface RoadCollection {
  features: Array<{ properties: { name?: string; highway?: string }; geometry: { type: string; coordinates: number[][] } }>;
}

/**
 * Places demo assets on real streets: the vertex of the named street nearest to a rough position, so every
 * asset sits on the road network the map draws and the router will route on.
 */
export function streetLocator(roads: RoadCollection): (street: string, near: [number, number]) => [number, number] {
  const byName = new Map<string, Array<[number, number]>>();
  for (const f of roads.features) {
    const name = f.properties.name;
    if (!name || f.geometry.type !== 'LineString') continue;
    const list = byName.get(name) ?? [];
    for (const c of f.geometry.coordinates) list.push([c[0]!, c[1]!]);
    byName.set(name, list);
  }
  return (street, near) => {
    const vertices = byName.get(street);
    if (!vertices) throw new Error(`the demo city names a street that is not in the road data: ${street}`);
    let best = vertices[0]!;
    let bestDistance = Infinity;
    for (const v of vertices) {
      const d = distanceMetres(v, near);
      if (d < bestDistance) {
        best = v;
        bestDistance = d;
      }
    }
    return best;
  };
}

/** Every distinct vertex of the city's streets (motorways left out: water mains do not run along them). */
export function streetVertices(roads: RoadCollection): Array<[number, number]> {
  const seen = new Set<string>();
  const vertices: Array<[number, number]> = [];
  for (const f of roads.features) {
    if (f.geometry.type !== 'LineString' || /^motorway/.test(f.properties.highway ?? '')) continue;
    for (const c of f.geometry.coordinates) {
      const key = `${c[0]},${c[1]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      vertices.push([c[0]!, c[1]!]);
    }
  }
  return vertices;
}
