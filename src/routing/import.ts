import { contractGraph } from './contraction.js';
import { RoadDataError, type ReadProgress } from './osm/elements.js';
import { readRoadGeoJson } from './osm/geojson.js';
import { readOsmPbf } from './osm/pbf.js';
import { readOsmXml } from './osm/xml.js';
import { buildProfileGraph } from './profile-graph.js';
import { DEFAULT_PROFILE_SETTINGS, PROFILE_NAMES, type ProfileSettings } from './profiles.js';
import type { RoadGraph } from './road-graph.js';
import { RoadNetworkBuilder } from './road-network.js';

export type RoadFileKind = 'osm-pbf' | 'osm-xml' | 'geojson';

export type ImportPhase = 'read' | 'build' | 'contract';

export interface ImportOptions {
  bytes: Uint8Array;
  fileName: string;
  /** ISO time recorded in the graph (pure code reads no clock). */
  importedAt: string;
  settings?: Partial<ProfileSettings>;
  progress?: (phase: ImportPhase, done: number, total: number, note?: string) => void;
  /** Monotonic milliseconds, to record preprocessing time; omit for none. */
  clock?: () => number;
}

/** What the bytes are, by their first characters: OSM XML starts with '<', GeoJSON with '{', PBF with a binary length. */
export function roadFileKind(bytes: Uint8Array): RoadFileKind {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x3c) return 'osm-xml';
  if (bytes[i] === 0x7b) return 'geojson';
  return 'osm-pbf';
}

/** Reads road data and builds the complete routable graph (network, both profiles, their hierarchies). */
export function importRoadGraph(options: ImportOptions): RoadGraph {
  const settings: ProfileSettings = { ...DEFAULT_PROFILE_SETTINGS, ...options.settings };
  if (!(settings.emergencySpeedFactor >= 1 && settings.emergencySpeedFactor <= 3)) {
    throw new RoadDataError('the emergency speed factor must lie between 1 and 3');
  }
  const builder = new RoadNetworkBuilder(settings);
  const kind = roadFileKind(options.bytes);
  const readProgress: ReadProgress = (done, total) => options.progress?.('read', done, total);
  if (options.bytes.length === 0) throw new RoadDataError(`${options.fileName} is empty`);
  if (kind === 'osm-pbf') readOsmPbf(options.bytes, builder, readProgress);
  else {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(options.bytes);
    if (kind === 'osm-xml') readOsmXml(text, builder, readProgress);
    else readRoadGeoJson(text, builder);
  }
  options.progress?.('build', 0, 1);
  const { network, stats } = builder.build();
  if (network.segmentCount === 0) throw new RoadDataError(`${options.fileName} holds no road a car or an emergency vehicle may drive`);
  options.progress?.('build', 1, 1, `${stats.nodes} intersections, ${stats.segments} road segments`);
  const contractionMs: Record<string, number> = {};
  const profiles = {} as RoadGraph['profiles'];
  for (const profile of PROFILE_NAMES) {
    const started = options.clock?.() ?? 0;
    const graph = buildProfileGraph(network, profile);
    const hierarchy = contractGraph(graph, { progress: (done, total) => options.progress?.('contract', done, total, profile) });
    contractionMs[profile] = Math.round((options.clock?.() ?? 0) - started);
    profiles[profile] = { graph, hierarchy };
  }
  const source = options.fileName.split(/[\\/]/).pop() ?? options.fileName;
  return { network, profiles, about: { source, importedAt: options.importedAt, stats, contractionMs } };
}
