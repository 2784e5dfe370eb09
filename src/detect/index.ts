/**
 * Detection — the public face. Pure logic: no database, network or clock.
 *
 * How the platform uses it, per organisation:
 *
 * 1. Settings. Store the organisation's detector settings as a JSON list (GET|PUT /api/v1/detectors).
 *    Validate with `parseDetectorSettings` before storing: it throws `DetectorSettingsError` whose
 *    `problems` list every error with its JSON path (render them as one 422 problem+json).
 *
 * 2. Models. The `scada-attack` detector needs a trained model: `trainScadaModel(histories)` on
 *    attack-free history (or `vigil detect train`). The result is plain JSON — store it as is, versioned
 *    by `training.fingerprint`; read it back through `parseScadaModel`, which refuses unknown formats and
 *    versions. The model's tag names must be the organisation's datastream keys.
 *
 * 3. Engine. `new DetectionEngine(createDetectors(settings, { scadaModel: id => storedModel(id) }))`,
 *    one engine per organisation, rebuilt when its settings or models change (detector state — last
 *    values, open excursions, the SCADA monitor's smoothed evidence — lives in the engine's detectors).
 *
 * 4. Feeding. For each accepted observation of that organisation, in arrival order:
 *       const { alerts, failures } = engine.observe({ datastream: key, time: epochMs, value, quality });
 *    and on a timer (every few seconds) `engine.tick(Date.now())` for the stale-sensor checks: the clock
 *    is read by the caller, never here. Observations with quality 'bad', NaN or ±Infinity are ignored.
 *
 * 5. Alerts. Each `AlertDraft` has category, severity, title, `dedupKey`, the datastreams involved and
 *    evidence (observed vs expected, deviation in the datastream's unit, ratio to the alarm line). The core
 *    adds organisation, TLP, distribution, asset and location, and updates the open alert with the same
 *    dedup key instead of raising a new one (the SCADA detector re-issues its draft every hour an alarm lasts).
 *
 * 6. Failures. A detector that throws does not stop the others: `failures` names it, and after
 *    `maxConsecutiveFailures` in a row it is suspended (`engine.status()`, `engine.resume(id)`); report them
 *    to the organisation admin.
 */
export type { AlertCategory, AlertDraft, Deviation, Detector, Evidence, Observation, ObservationQuality, Severity } from './model.js';
export { parseDetectorSettings, DetectorSettingsError, DETECTOR_KINDS } from './settings.js';
export type { DetectorKind, DetectorSettings, FlatLineSettings, RangeSettings, RateOfChangeSettings, ScadaAttackSettings, StaleSettings } from './settings.js';
export { DetectionEngine } from './engine.js';
export type { DetectionResult, DetectorFailure, DetectorStatus } from './engine.js';
export { createDetector, createDetectors } from './detectors.js';
export type { DetectorContext } from './detectors.js';
export { trainScadaModel } from './scada/train.js';
export { ScadaAttackMonitor, assessTable } from './scada/monitor.js';
export type { PeriodAssessment } from './scada/monitor.js';
export { parseScadaModel, ScadaModelError, SCADA_MODEL_FORMAT, SCADA_MODEL_VERSION, DEFAULT_SCADA_PARAMETERS } from './scada/model.js';
export type { ScadaModel, ScadaModelParameters, ConsistencyCheck } from './scada/model.js';
export type { ScadaTable } from './scada/features.js';
export { parseScadaLog, parseTime, CsvFormatError } from './batadal/csv.js';
export { scoreBatadal, windowsFromLabels } from './batadal/score.js';
export type { AttackWindow, BatadalScore, HourlyPrediction } from './batadal/score.js';
export { periodMeans } from './periods.js';
export { DetectionRuntime, buildEngine, coreDraftOf, type OrgDetectionStatus } from './runtime.js';
export { detectRoutes } from './routes.js';
export { detectMigrations } from './migrations.js';
export { readSettings, saveSettings, saveModel, listModels, loadModels, type ModelInfo } from './store.js';
