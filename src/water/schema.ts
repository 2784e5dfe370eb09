import type { SharedColumns } from '../kernel/db/schema.js';

/**
 * A water utility's EPANET model: a shared record (the topology of critical infrastructure is sensitive),
 * whose content lives in numbered versions. Re-importing the same network (same owner and name) adds a
 * version; scenarios and runs name the version they used, so a result can always be traced to its model.
 */
export interface WaterNetworkTable extends SharedColumns {
  id: string;
  /** Short name, unique per owner organisation (e.g. "ctown"); the key of its assets. */
  name: string;
  title: string;
  /** The newest version; also the record's version for optimistic concurrency. */
  version: number;
  created_at: number;
  updated_at: number;
}

export interface WaterNetworkVersionTable {
  network_id: string;
  version: number;
  /** The .inp text as imported (comments and all); `readInp` gives the network back. */
  inp: string;
  inp_sha256: string;
  /** JSON: the validated PLC layout. */
  layout: string;
  /** JSON: the placement on the map ({centre, metresPerUnit, rotationDegrees}) or null. */
  placement: string | null;
  /** JSON: critical consumers of the model: [{node, name, assetId?}] — scenarios start from them. */
  consumers: string;
  /** JSON: counts of junctions, pipes, ... and units, for lists. */
  stats: string;
  created_at: number;
  created_by_user: string | null;
}

/** Which asset stands for which element or controller of a network (written at import). */
export interface WaterNetworkAssetTable {
  network_id: string;
  /** The planned asset's key: "<network>/<kind>/<element or controller id>". */
  key: string;
  /** The EPANET element or controller id ("PU1", "T1", "PLC2", "SCADA"). */
  element: string;
  kind: string;
  asset_id: string;
}

/** A what-if scenario: a shared record; its definitions are numbered versions. */
export interface WaterScenarioTable extends SharedColumns {
  id: string;
  network_id: string;
  name: string;
  description: string;
  /** The incident it was drafted from, if any. */
  source_incident_id: string | null;
  /** The newest definition's number; also the record's version. */
  version: number;
  created_at: number;
  updated_at: number;
}

export interface WaterScenarioVersionTable {
  scenario_id: string;
  version: number;
  /** The network version this definition was checked against (and runs on). */
  network_version: number;
  /** JSON: the scenario as validated (defaults filled in). */
  definition: string;
  created_at: number;
  created_by_org: string | null;
  created_by_user: string | null;
}

/**
 * One simulation of a scenario version. Not a shared record of its own: whoever sees the scenario sees its
 * runs (every read joins the scenario and applies `visibleTo`).
 */
export interface WaterRunTable {
  id: string;
  scenario_id: string;
  scenario_version: number;
  network_id: string;
  network_version: number;
  /** queued | running | completed | failed | cancelled */
  status: string;
  /** 0..1 */
  progress: number;
  note: string;
  requested_by_org: string | null;
  requested_by_user: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
  /** JSON: {run, time, code, message, element} or {message} when the run could not finish. */
  failure: string | null;
  /** JSON: the impact summary and the critical consumers' sentences (what lists show). */
  summary: string | null;
  /** JSON: the full impact report. */
  report: string | null;
  /** JSON: impact per junction (hours without service, first time below, unserved, contaminant), for the map. */
  junctions: string | null;
  /** JSON: what the stored series and frames are indexed by: {times (seconds), nodes (frame order), junctions, reservoirs, tanks}. */
  frame_index: string | null;
  /** none | stored | purged: whether the series and frames are kept (the newest runs of a scenario keep them). */
  series_state: string;
  series_bytes: number;
}

/** The time series of one element in one run (see results/pack.ts). */
export interface WaterRunSeriesTable {
  run_id: string;
  element_kind: string;
  element: string;
  element_type: string;
  /** Comma-separated names of the series stored, in order. */
  quantities: string;
  points: number;
  data: Uint8Array;
}

/** Node states for the map animation, in chunks of report times. */
export interface WaterRunFramesTable {
  run_id: string;
  chunk: number;
  first_step: number;
  steps: number;
  data: Uint8Array;
}

/** A batch of scenarios ranked by impact: shared record (a list of a network's weakest points is sensitive). */
export interface WaterSweepTable extends SharedColumns {
  id: string;
  network_id: string;
  network_version: number;
  kind: string;
  /** JSON: the settings every scenario shares, and the options (limit, minDiameter). */
  settings: string;
  status: string;
  progress: number;
  scenarios: number;
  note: string;
  requested_by_user: string | null;
  /** JSON: the ranking (SweepResult). */
  result: string | null;
  failure: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
  version: number;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    water_networks: WaterNetworkTable;
    water_network_versions: WaterNetworkVersionTable;
    water_network_assets: WaterNetworkAssetTable;
    water_scenarios: WaterScenarioTable;
    water_scenario_versions: WaterScenarioVersionTable;
    water_runs: WaterRunTable;
    water_run_series: WaterRunSeriesTable;
    water_run_frames: WaterRunFramesTable;
    water_sweeps: WaterSweepTable;
  }
}
