import { RoadDataError, type OsmSink, type Tags } from './elements.js';

/**
 * Reads road lines from GeoJSON (RFC 7946): LineString and MultiLineString features whose properties
 * carry OSM tags (highway, oneway, maxspeed, name, ...). Topology comes from `node_ids` when a feature
 * has them (as in an OSM-derived export); otherwise lines that share an exact coordinate share a node.
 * GeoJSON carries no turn restrictions.
 */
export function readRoadGeoJson(text: string, sink: OsmSink): void {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new RoadDataError(`not a valid GeoJSON file: ${(error as Error).message}`);
  }
  const root = document as { type?: unknown; features?: unknown };
  if (root?.type !== 'FeatureCollection' || !Array.isArray(root.features)) {
    throw new RoadDataError('GeoJSON road file must be a FeatureCollection');
  }
  const syntheticNodes = new Map<string, number>();
  let nextSynthetic = -1;
  let nextWay = -1;
  const nodeFor = (position: unknown, given: unknown, where: string): number => {
    if (!Array.isArray(position) || typeof position[0] !== 'number' || typeof position[1] !== 'number') {
      throw new RoadDataError(`${where}: coordinate is not [lon, lat]`);
    }
    const [lon, lat] = position as [number, number];
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      throw new RoadDataError(`${where}: coordinate out of range`);
    }
    let id: number;
    if (typeof given === 'number' && Number.isSafeInteger(given)) id = given;
    else {
      const key = `${Math.round(lon * 1e7)},${Math.round(lat * 1e7)}`;
      id = syntheticNodes.get(key) ?? nextSynthetic--;
      syntheticNodes.set(key, id);
    }
    sink.node(id, lon, lat);
    return id;
  };

  root.features.forEach((feature: unknown, index: number) => {
    const f = feature as { geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null };
    const where = `feature ${index}`;
    const properties = f?.properties ?? {};
    if (typeof properties.highway !== 'string' || !f.geometry) return;
    const lines: unknown[] =
      f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.type === 'MultiLineString' ? (f.geometry.coordinates as unknown[]) : [];
    if (!Array.isArray(lines)) throw new RoadDataError(`${where}: bad MultiLineString`);
    const tags: Tags = {};
    for (const [key, value] of Object.entries(properties)) {
      if (key === 'node_ids' || key === 'osm_id' || value === null || typeof value === 'object') continue;
      tags[key] = String(value);
    }
    const nodeIds = Array.isArray(properties.node_ids) ? (properties.node_ids as unknown[]) : undefined;
    const osmId = typeof properties.osm_id === 'number' ? properties.osm_id : undefined;
    for (const line of lines) {
      if (!Array.isArray(line) || line.length < 2) throw new RoadDataError(`${where}: a LineString needs two or more positions`);
      const ids = nodeIds && nodeIds.length === line.length && lines.length === 1 ? nodeIds : undefined;
      const refs = line.map((position, i) => nodeFor(position, ids?.[i], where));
      sink.way(osmId !== undefined && lines.length === 1 ? osmId : nextWay--, refs, tags);
    }
  });
}
