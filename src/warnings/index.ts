/**
 * Public warnings (CAP 1.2): the face other capabilities and the server use. Everything here is pure
 * except schema loading (once, from data-seed/cap) and webhook-sender's HTTP POST.
 */
export * from './model.js';
export { capDateTimeProblem, formatCapDateTime, formatRfc3339, parseCapDateTime, utcOffsetMinutes } from './datetime.js';
export {
  circleProblems,
  polygonProblems,
  referencesProblems,
  type CapProblem,
} from './rules.js';
export {
  formatCircle,
  formatCoordinatePair,
  formatPolygon,
  GeometryError,
  hullAroundPoints,
  parseCircle,
  parsePolygon,
  polygonsFromGeoJson,
  type GeoJsonMultiPolygon,
  type GeoJsonPolygon,
  type LatLon,
} from './geometry.js';
export {
  CANCEL_TEXT,
  findTemplate,
  TEMPLATE_LANGUAGES,
  templatesForIncidentType,
  WARNING_TEMPLATES,
  type TemplateLanguage,
  type WarningTemplate,
} from './templates.js';
export {
  draftFromTemplate,
  placeholdersOf,
  renderPlaceholders,
  type AreaInput,
  type DraftResult,
  type LocalizedText,
  type PlaceholderValues,
  type TemplateDraftInput,
  type TemplatePhase,
  type WarningContent,
} from './authoring.js';
export {
  approvalPolicy,
  approvalReasons,
  authoringReasons,
  DEFAULT_APPROVER_ROLES,
  DEFAULT_AUTHOR_ROLES,
  ROLES,
  type Actor,
  type ApprovalPolicy,
  type Reason,
  type Role,
} from './approval.js';
export {
  approveProposal,
  draftWarning,
  editProposal,
  isEnded,
  nextMessage,
  proposeMessage,
  referencesOf,
  rejectProposal,
  submitProposal,
  warningPhase,
  type MessageKind,
  type Proposal,
  type PublicationSettings,
  type PublishedMessage,
  type Transition,
  type Warning,
  type WarningEvent,
  type WarningPhase,
} from './lifecycle.js';
export { alertToXml, escapeXmlText } from './xml-write.js';
export { DEFAULT_MAX_BYTES } from './xml-read.js';
export { formatProblem, InvalidCapError, parseCap, validateAlert, validateCap, type CapValidation } from './validate.js';
export { atomFeed, ATOM_NAMESPACE, CAP_MEDIA_TYPE, capMessageUrl, currentWarnings, feedUrl, type FeedSettings } from './atom.js';
export {
  DEFAULT_RETRY_POLICY,
  dueDeliveries,
  isRetryable,
  planDelivery,
  recordAttempt,
  retryDelayMs,
  sign,
  SIGNATURE_HEADER,
  verifySignature,
  webhookChannelProblems,
  webhookRequest,
  type AttemptRecord,
  type AttemptResult,
  type Delivery,
  type RetryPolicy,
  type WebhookChannel,
  type WebhookRequest,
} from './webhooks.js';
export { sendWebhook } from './webhook-sender.js';
export { areasFromSpecs, incidentShape, withAreas, areasOfMessage, DEFAULT_INCIDENT_BUFFER_METERS, type AreaSpec, type IncidentPlace } from './areas.js';
export { composeContent, normaliseContent, headlineOf, type ComposeInput, type ContentInput } from './compose.js';
export { hazardOf, inboxActionOf, locationOf, referencedMessages, SEVERITY_FROM_CAP, circleRing } from './inbox.js';
export { warningSettingsFrom, policyOf, publicationOf, feedOf, type WarningSettings } from './settings.js';
export { getWarning, listWarnings, feedWarnings, publishedMessage, approverOrganisations, type StoredWarning, type WarningFilters } from './queries.js';
export { WebhookWorker, type WorkerOptions } from './webhook-worker.js';
export { warningRoutes } from './routes.js';
export { webhookRoutes } from './webhook-routes.js';
export { inboxRoutes } from './inbox-routes.js';
export { publicWarningRoutes, ATOM_MEDIA_TYPE } from './public-routes.js';
export { warningMigrations } from './migrations.js';
export type { WarningTable, CapMessageTable, WarningApprovalTable, WebhookChannelTable, WebhookDeliveryTable, WebhookAttemptTable, CapInboxTable } from './tables.js';
export { recordStep, PUBLIC_SHARING, type StepContext } from './steps.js';
