export * from './policy.js';
export { visibleTo, eventVisibleTo } from './visibility.js';
export {
  loadSharingWorld,
  groupsOfOrganisation,
  sharingColumns,
  sharingOf,
  distributionOf,
  encodeOrgList,
  decodeOrgList,
} from './store.js';
export {
  type SharedTable,
  type ShareOutcome,
  type SharingDefaults,
  readSharing,
  shareRecord,
  defaultsFromSettings,
  FALLBACK_DEFAULTS,
} from './records.js';
