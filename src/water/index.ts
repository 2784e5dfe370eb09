/**
 * Water network stress testing: EPANET networks, their control system (PLCs, SCADA), cyber-physical
 * attack and failure scenarios, and the impact on people and services. Pure TypeScript, no database.
 */
export type * from './network/model.js';
export { emptyNetwork, indexNetwork, unitLabels } from './network/model.js';
export { InpError } from './network/inp-text.js';
export { readInp } from './network/read.js';
export { writeInp, type WriteOptions } from './network/write.js';
export {
  applyTransform,
  drawingBounds,
  fitPlacement,
  networkGeoJson,
  placementTransform,
  type AffineTransform,
  type GeoJsonCollection,
  type Placement,
} from './network/placement.js';
export { defaultLayout, LayoutError, parseSignal, validateLayout, type CyberLink, type Plc, type PlcLayout, type SignalRef } from './cyber/layout.js';
export type * from './scenario/model.js';
export { MAX_EVENTS, MAX_HOURS } from './scenario/model.js';
export { ScenarioError, validateScenario } from './scenario/validate.js';
export { ENGINE_VERSION } from './engine/epanet.js';
export { populationByJunction, DEFAULT_LITRES_PER_PERSON_PER_DAY } from './sim/prepare.js';
export type { CriticalImpact, ImpactReport, TankImpact } from './sim/impact.js';
export { formatDuration } from './sim/impact.js';
export {
  simulateScenario,
  type SimulationControl,
  type SimulationOutcome,
  type SimulationRequest,
  type SimulationSeries,
} from './sim/simulate.js';
export { SimulationPool, simulateInWorker, type JobControl } from './worker/pool.js';
export { planSweep, runSweep, type SweepEntry, type SweepKind, type SweepResult, type SweepSettings } from './sweep.js';
export { planWaterAssets, type PlannedAsset, type WaterAssetKind } from './assets.js';
export { waterMigrations } from './migrations.js';
export type * from './schema.js';
export { waterRoutes } from './routes.js';
export { WaterRuntime, type WaterRuntimeOptions } from './runtime.js';
export { prepareImport, writeImport, ImportError, type NetworkImport, type ImportOutcome, type ImportSharing } from './store/import.js';
export { getNetwork, listNetworks, loadNetworkVersion, type WaterNetworkRecord, type NetworkConsumer } from './store/networks.js';
export { getScenario, listScenarios, createScenario, type WaterScenarioRecord } from './store/scenarios.js';
export { getRun, listRuns, insertRun, type WaterRunRecord, type RunSummary } from './store/runs.js';
export { getSweep, type WaterSweepRecord } from './store/sweeps.js';
export { draftFromIncident } from './from-incident.js';
export { engineRefusal } from './engine/check.js';
export { supplyingStorage, nearestJunction } from './network/supply.js';
export { FRAME_LEGEND, describeCode } from './results/frames.js';
