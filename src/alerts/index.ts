/** Alerts: what detectors, integrations and people raise; deduplicated, shared under the policy. */
export {
  type Alert,
  type AlertDraft,
  type AlertFilters,
  type AlertCategory,
  type AlertStatus,
  type Severity,
  ALERT_CATEGORIES,
  ALERT_STATUSES,
  SEVERITIES,
  severityRank,
  OPEN_ALERT_STATUSES,
} from './model.js';
export { getAlert, listAlerts, countAlerts, raiseAlert, changeAlert, filteredAlerts, type AlertChange } from './queries.js';
export { alertRoutes } from './routes.js';
export { alertMigrations } from './migrations.js';
export type { AlertTable, AlertAssetTable } from './schema.js';
export * as alertSchemas from './schemas.js';
