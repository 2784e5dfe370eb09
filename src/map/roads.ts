/**
 * The base map's road layer: the city's own OpenStreetMap roads, cut down to what the web map draws
 * (class, name, one-way, reference) with coordinates rounded to about 10 cm. Pure: data in, data out.
 */
export interface RoadCollection {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }>;
}

const KEPT = ['highway', 'name', 'oneway', 'ref', 'bridge', 'tunnel'] as const;

function round(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e6) / 1e6;
  if (Array.isArray(value)) return value.map(round);
  return value;
}

export function slimRoads(collection: RoadCollection): RoadCollection {
  return {
    type: 'FeatureCollection',
    features: collection.features
      .filter((f) => f.geometry && (f.geometry.type === 'LineString' || f.geometry.type === 'MultiLineString'))
      .map((f) => {
        const properties: Record<string, unknown> = {};
        for (const key of KEPT) if (f.properties[key] !== undefined && f.properties[key] !== null) properties[key] = f.properties[key];
        return { type: 'Feature', properties, geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) } };
      }),
  };
}

/** [minLon, minLat, maxLon, maxLat] of every coordinate in the collection. */
export function boundsOf(collection: RoadCollection): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [lon, lat] = c as number[];
      b[0] = Math.min(b[0], lon!);
      b[1] = Math.min(b[1], lat!);
      b[2] = Math.max(b[2], lon!);
      b[3] = Math.max(b[3], lat!);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of collection.features) visit(f.geometry.coordinates);
  return b;
}
