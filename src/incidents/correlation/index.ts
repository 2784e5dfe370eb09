/**
 * Alert correlation: the public face for the rest of Vigil.
 *
 * How the platform uses it (one engine per Vigil node, fed by the alert stream in time order):
 *
 *   const correlator = new Correlator({
 *     assets,            // CorrelationAsset[]: id, name, identifiers (addresses, host names), dependencies
 *     openIncidents,     // OpenIncident[] with their alerts: the engine resumes where it stopped
 *     settings: { defaults, byOrganisation },   // per-organisation CorrelationSettingsInput
 *     exclusions,        // values that never correlate (see exclusions.ts)
 *     cap: 100,          // an indicator in more alerts than this within its window stops correlating
 *     newIncidentId: () => randomUUID(),
 *   });
 *   for each new alert:  const decisions = correlator.correlate(toCorrelationAlert(alert));
 *   on a timer (~10 s): const merges = correlator.advance(Date.now());
 *
 * Apply the decisions in order, in the same transaction as the alert's insertion:
 *   - `open`: create incident `incidentId` owned by the alert's organisation, category `category`;
 *   - `attach`: add the alert to `incidentId`; store `reasons` on the incident (the "why" it shows);
 *   - `merge`: move every alert of `incidentId` into `intoIncidentId` and close the former as merged.
 * Tell the engine what people do: `closeIncident(id)` when an incident is closed, `mergeIncidents(a, b)`
 * when a person merges, `setAssets(assets)` when assets or dependencies change. The engine never reads the
 * database or the clock; restart it from the open incidents.
 *
 * Sharing: an organisation's alerts only join incidents of the same organisation or of the organisations
 * listed in its settings' `partners`; the platform derives that list from its sharing policy.
 */
export {
  ALERT_CATEGORIES,
  CORRELATION_RULES,
  DEPENDENCY_KINDS,
  SEVERITIES,
  combineCategory,
  type AlertCategory,
  type AssetDependency,
  type CorrelationAlert,
  type CorrelationAsset,
  type CorrelationDecision,
  type CorrelationReason,
  type CorrelationRule,
  type DependencyKind,
  type GeoPoint,
  type IgnoredValue,
  type OpenIncident,
  type Severity,
} from './model.js';
export { Correlator, CorrelationInputError, type CorrelatorOptions } from './correlator.js';
export {
  DEFAULT_SETTINGS,
  CorrelationSettingsError,
  resolveSettings,
  type CorrelationSettings,
  type CorrelationSettingsInput,
} from './settings.js';
export { BUILT_IN_EXCLUSIONS, ExclusionError } from './exclusions.js';
export { INDICATOR_TYPES, extractIndicators, type Indicator, type IndicatorType } from './indicators.js';
export { IncidentLedger, scoreGrouping, type GroupingScore } from './evaluation.js';
export { registerCorrelationCli, registerIncidentToolsCli } from './cli.js';
