import type { Hierarchy } from './contraction.js';
import type { ProfileGraph } from './profile-graph.js';
import type { ProfileName } from './profiles.js';
import type { NetworkStats, RoadNetwork } from './road-network.js';

/** Everything an import produces and the graph file holds: the network and, per profile, its graph and hierarchy. */
export interface RoadGraph {
  network: RoadNetwork;
  profiles: Record<ProfileName, { graph: ProfileGraph; hierarchy: Hierarchy }>;
  about: RoadGraphAbout;
}

export interface RoadGraphAbout {
  /** File name the graph was imported from (no directory). */
  source: string;
  /** ISO time of the import, as passed in by the caller (pure code reads no clock). */
  importedAt: string;
  stats: NetworkStats;
  /** Preprocessing time per profile in ms, for the record. */
  contractionMs: Record<string, number>;
}
