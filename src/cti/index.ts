/**
 * Threat-intelligence sharing (issue 6): the pure parts — STIX 2.1 validation and identifiers, the STIX
 * pattern parser, Vigil records as STIX, the MISP core format, indicator matching and TAXII 2.1 request
 * semantics. No database, no HTTP: the store, the TAXII server and client, feeds and federation build on these.
 */
export { registerCtiCli } from './cli.js';

// The store, the TAXII server, matching and feeds of a running Vigil
export { CtiService, type CtiOptions, type IngestResult, EVENT_RETENTION_DAYS, MAX_STORED_EVENTS, RETRO_MAX_EVENTS } from './service.js';
export { ctiRoutes } from './routes/index.js';
export { taxiiRoutes, API_ROOT_PATH, TAXII_MAX_CONTENT_LENGTH } from './taxii/routes.js';
export { ctiMigrations } from './migrations.js';
export { importStix, type ImportRequest, type ImportResult } from './store/import.js';
export { importMispEvent, exportMispEvent } from './misp/store.js';
export type { StixObjectTable } from './schema.js';

// STIX 2.1 objects and bundles
export { StixSchemas, stixSchemas, type SchemaError } from './stix/schemas.js';
export {
  BundleValidator,
  validateObject,
  validateObjects,
  pointerToPath,
  type ObjectReport,
  type Reason,
  type ReasonCode,
  type ValidationOptions,
} from './stix/validate.js';
export { BundleReader, BundleSyntaxError, streamBundle, type BundleItem, type BundleReaderOptions } from './stix/bundle-stream.js';
export {
  validateBundleStream,
  validateBundle,
  makeBundle,
  serializeBundle,
  type BundleReport,
  type BundleValidationOptions,
} from './stix/bundle.js';
export {
  STIX_SCO_NAMESPACE,
  SCO_ID_CONTRIBUTING_PROPERTIES,
  SCO_TYPES,
  canonicalJson,
  identifierType,
  isIdentifier,
  parseIdentifier,
  scoContributingProperties,
  scoId,
  uuidV5,
  vigilStixId,
} from './stix/ids.js';
export {
  TLP_LEVELS,
  TLP_1_MARKING_IDS,
  TLP_2_EXTENSION_ID,
  TLP_2_MARKING_IDS,
  WELL_KNOWN_MARKING_IDS,
  isTlp,
  parseTlp,
  strictestTlp,
  tlp1MarkingDefinition,
  tlpMarkingDefinition,
  tlpMarkingId,
  tlpOfMarkingDefinition,
  tlpOfMarkingId,
  tlpOfObject,
  type MarkingDefinition,
  type Tlp,
} from './stix/markings.js';
export { referenceTargets, targetAllowed } from './stix/references.js';
export { compareTimestamps, isStixTimestamp, microsToTimestamp, stixTimestamp, timestampToMicros } from './stix/timestamps.js';

// STIX patterns
export { parsePattern } from './pattern/parser.js';
export type * from './pattern/ast.js';

// Vigil records as STIX
export {
  INCIDENT_CORE_EXTENSION_ID,
  alertToStix,
  evidenceToObservables,
  incidentToStix,
  organisationToIdentity,
  placeToLocation,
  sightingToStix,
  type IndicatorSightingRecord,
  type VigilAlertRecord,
  type VigilIncidentRecord,
  type VigilOrganisationRecord,
  type VigilPlace,
} from './vigil-stix.js';

// MISP
export { readMispEvent, isUuid, type MispEvent, type MispAttribute, type MispObject, type MispTag, type MispProblem } from './misp/model.js';
export {
  MISP_DISTRIBUTION,
  mispToVigilDistribution,
  vigilToMispDistribution,
  tlpFromTags,
  tlpTag,
  type VigilDistribution,
  type VigilSharing,
} from './misp/distribution.js';
export { attributeToPattern, patternToAttributes, escapePatternString } from './misp/attributes.js';
export { mispObjectToPattern } from './misp/objects.js';
export { mispEventToStix, stixIdFromUuid, type MispToStixResult } from './misp/to-stix.js';
export { stixToMispEvent, writeMispEvent, type StixToMispOptions } from './misp/from-stix.js';
export { readMispManifest, eventsToPull, mispFeedEventPath, type MispFeedEntry, type MispManifest } from './misp/feed.js';

// Indicator matching
export { IndicatorIndex, type IndicatorMatch, type IndicatorIndexOptions, type MatchCap, type AddResult } from './matching/engine.js';
export { FIELD_MAP, observeEvent, visitEvent, type EventVisitor, type ObservedObject, type SecurityEvent } from './matching/fields.js';
export { PatternCorrelator, patternShape, type CorrelatorOptions, type PatternShape } from './matching/correlate.js';

// TAXII 2.1
export { TAXII_MEDIA_TYPE, STIX_MEDIA_TYPE, negotiateTaxii, checkTaxiiContentType } from './taxii/media-type.js';
export {
  DEFAULT_QUERY_LIMITS,
  TaxiiQueryError,
  parseTaxiiQuery,
  parseTaxiiTimestamp,
  type QueryLimits,
  type TaxiiEndpoint,
  type TaxiiQuery,
  type VersionFilter,
} from './taxii/query.js';
export { decodeCursor, encodeCursor, filtersDigest, isAfter, type CursorBinding, type PagePosition } from './taxii/cursor.js';
export { selectPage, type CollectionRecord, type Page } from './taxii/select.js';
export {
  apiRoot,
  collection,
  dateAddedHeaders,
  envelope,
  manifestRecord,
  status,
  taxiiError,
  type ApiRoot,
  type Collection,
  type Discovery,
  type Envelope,
  type Manifest,
  type ManifestRecord,
  type Status,
  type StatusDetails,
  type TaxiiError,
} from './taxii/resources.js';
