// The shapes of the water API (docs/water.md, "The web contract"; /api/v1/openapi.json, tag "water").
import type { SharedRecord } from '../api/types';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export const ACTIVE: readonly RunStatus[] = ['queued', 'running'];

export interface WaterNetwork extends SharedRecord {
  name: string;
  title: string;
  shownVersion: number;
  stats: { junctions: number; reservoirs: number; tanks: number; pipes: number; pumps: number; valves: number; controls: number; rules: number; plcs: number; flowUnits: string };
  consumers: Array<{ node: string; name: string; assetId?: string; minPressure?: number }>;
  scada: { id: string; name: string | null };
  plcs: Array<{ id: string; name: string | null; sensors: string[]; actuators: string[] }>;
  links: Array<{ from: string; to: string; signals: string[] }>;
}

export type ElementKind = 'junction' | 'reservoir' | 'tank' | 'pipe' | 'pump' | 'valve';

export interface NetworkFeature {
  type: 'Feature';
  id: string;
  geometry: GeoJSON.Point | GeoJSON.LineString;
  properties: { id: string; kind: ElementKind; assetId: string | null; from?: string; to?: string; [property: string]: unknown };
}

export interface NetworkMap {
  type: 'FeatureCollection';
  bbox: number[];
  network: { id: string; name: string; version: number };
  controls?: Array<{ id: string; link: string; text: string }>;
  features: NetworkFeature[];
}

export type Condition =
  | { hour: number }
  | { afterHours: number }
  | { tank: string; levelBelow: number }
  | { tank: string; levelAbove: number }
  | { node: string; pressureBelow: number }
  | { node: string; pressureAbove: number };

export interface ScenarioEvent {
  type: string;
  id?: string;
  note?: string;
  start?: Condition;
  end?: Condition;
  [field: string]: unknown;
}

export interface ScenarioDefinition {
  name: string;
  description?: string;
  hours?: number;
  demandModel?: 'PDA' | 'DDA' | 'network';
  pressure?: { minimum?: number; required?: number; exponent?: number };
  servicePressure?: number;
  quality?: { kind: 'chemical'; name?: string; units?: string; threshold?: number } | { kind: 'age'; thresholdHours?: number };
  criticalConsumers?: Array<{ node: string; name: string; assetId?: string; minPressure?: number }>;
  litresPerPersonPerDay?: number;
  events: ScenarioEvent[];
}

export interface WaterScenario extends SharedRecord {
  networkId: string;
  name: string;
  description: string;
  sourceIncidentId: string | null;
  shownVersion: number;
  networkVersion: number;
  definition: ScenarioDefinition;
  versionCreatedAt: string;
}

export interface ScenarioVersion {
  version: number;
  networkVersion: number;
  name: string;
  createdAt: string;
  createdByOrgId: string | null;
}

export interface CriticalConsumerImpact {
  node: string;
  name: string;
  assetId?: string;
  minPressure?: number;
  timeToImpact: number | null;
  firstBelowAt?: number | null;
  baselineFirstBelowAt?: number | null;
  contaminantArrival?: number | null;
  text: string;
}

export interface Units {
  flow: string;
  length: string;
  pressure: string;
  volume: string;
}

export interface RunSummary {
  scenarioName: string;
  hours: number;
  impactScore: number;
  population: number;
  populationAffected: number;
  junctionsAffected: number;
  personHoursAdded: number;
  waterServiceAvailability: { scenario: number; baseline: number };
  unservedAdded: number;
  units: Units;
  tanksEmptied: string[];
  criticalConsumers: CriticalConsumerImpact[];
  contamination?: { kind: 'chemical' | 'age'; units: string; threshold: number; junctionsExposed: number; populationExposed: number };
  timing?: { wallMs: number; simulatedHours: number };
}

export interface RunFailure {
  message: string;
  run?: 'baseline' | 'scenario';
  time?: number;
  code?: number;
  element?: { kind: 'node' | 'link'; id: string };
}

export interface WaterRun {
  id: string;
  scenarioId: string;
  scenarioVersion: number;
  networkId: string;
  networkVersion: number;
  status: RunStatus;
  progress: number;
  note: string;
  requestedByOrgId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  failure: RunFailure | null;
  summary: RunSummary | null;
  results: { report: boolean; series: 'none' | 'stored' | 'purged'; seriesBytes: number; reportTimes: number };
}

export interface TankImpact {
  tank: string;
  emptiedAt: number | null;
  hoursEmpty: number;
  fullAt: number | null;
  hoursFull: number;
  minLevel: number;
  maxLevel: number;
  baseline: { emptiedAt: number | null; hoursEmpty: number; fullAt: number | null; hoursFull: number };
}

export interface RunImpact {
  runId: string;
  status: string;
  scenario: { name: string; hours: number; demandModel: string; servicePressure: number; units: Units };
  summary: {
    population: number;
    junctionsAffected: number;
    populationAffected: number;
    peakPopulationWithoutService: { scenario: number; baseline: number; at: number | null };
    personHoursWithoutService: { scenario: number; baseline: number; added: number };
    waterServiceAvailability: { scenario: number; baseline: number };
    unservedDemand: { scenario: number; baseline: number; added: number; units: string };
    impactScore: number;
  };
  criticalConsumers: CriticalConsumerImpact[];
  tanks: TankImpact[];
  contamination: {
    kind: 'chemical' | 'age';
    units: string;
    threshold: number;
    junctionsExposed: number;
    populationExposed: number;
    peakPopulationExposed: number;
    firstArrival: Array<{ node: string; at: number; peak: number }>;
  } | null;
  events: Array<{ time: number; event: string; type: string; change: 'started' | 'ended' }>;
  timeline: {
    times: number[];
    populationWithoutService: { scenario: number[]; baseline: number[] };
    junctionsWithoutService: { scenario: number[]; baseline: number[] };
    demandSatisfaction: { scenario: number[]; baseline: number[] };
    populationExposed?: number[];
  };
  junctions: Array<{ node: string; population: number; hoursWithoutService: number; firstBelowAt: number | null; unserved: number; minPressure: number; contaminantAbove?: number | null; contaminantPeak?: number }>;
  failure: RunFailure | null;
}

export interface RunFrames {
  runId: string;
  encoding: 'base64';
  nodes: string[];
  nodeTypes: { junctions: number; reservoirs: number; tanks: number };
  steps: number[];
  times: number[];
  frames: string[];
}

export interface ElementSeries {
  runId: string;
  element: string;
  kind: 'node' | 'link';
  type: string;
  points: number;
  returned: number;
  units: Record<string, string>;
  times: number[];
  series: Record<string, Array<number | null>>;
}

export type SweepKind = 'pump-off' | 'plc-spoof' | 'n-1';

export interface SweepEntry {
  rank: number;
  name: string;
  status: string;
  error?: string;
  impactScore: number;
  populationAffected: number;
  personHoursAdded: number;
  unservedAdded: number;
  waterServiceAvailability: number;
  tanksEmptied: string[];
  criticalConsumers: string[];
  wallMs: number;
  /** Present on sweeps recorded since rows keep their events. */
  events?: ScenarioEvent[];
}

export interface WaterSweep extends SharedRecord {
  networkId: string;
  networkVersion: number;
  kind: SweepKind;
  settings: { settings: Record<string, unknown>; limit?: number; minDiameter?: number };
  status: RunStatus;
  progress: number;
  scenarios: number;
  note: string;
  result: { kind: string; scenarios: number; workers: number; wallMs: number; ranking: SweepEntry[] } | null;
  failure: { message: string } | null;
  startedAt: string | null;
  finishedAt: string | null;
}
