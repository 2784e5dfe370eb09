/** Incidents: alerts and assets grouped into one case, worked through a lifecycle, shared with partners. */
export { type Incident, type IncidentDraft, type IncidentFilters, type IncidentStatus, type TimelineEntry, INCIDENT_STATUSES } from './model.js';
export {
  getIncident,
  listIncidents,
  countIncidents,
  openIncident,
  changeIncident,
  addNote,
  addAlertsToIncident,
  attachAlerts,
  addTimelineEntry,
  readTimeline,
  filteredIncidents,
  type IncidentChange,
} from './queries.js';
export { incidentRoutes } from './routes.js';
export { incidentLifecycleRoutes } from './routes-lifecycle.js';
export { incidentAttachmentRoutes } from './routes-attachments.js';
export { reviseIncident, type IncidentRevision } from './revise.js';
export { mergeAlertsInto, mergeIncidentInto, splitIncident } from './merge.js';
export { addLabelledNote, addAttachment, listAttachments, type Attachment } from './evidence.js';
export { incidentMigrations } from './migrations.js';
export type { IncidentTable, IncidentAlertTable, IncidentAssetTable, IncidentTimelineTable } from './schema.js';
export { playbookRoutes } from './playbooks/routes.js';
export { taskRoutes } from './playbooks/task-routes.js';
export { PlaybookWatch } from './playbooks/watch.js';
export { LiveCorrelation } from './live/engine.js';
export { correlationSettingsRoutes } from './live/routes.js';
