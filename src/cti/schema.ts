import type { Generated } from 'kysely';
import type { SharedColumns } from '../kernel/db/schema.js';

/**
 * The threat-intelligence tables. `stix_objects` is the store: one row per version of a STIX object held by an
 * organisation, a shared record like any other (owner, TLP, distribution). `seq` and `date_added` are assigned
 * in commit order (see store/commit.ts), which is what makes TAXII paging exact.
 */
export interface StixObjectTable extends SharedColumns {
  /** Commit order: strictly increasing along commits, never reused. */
  seq: number;
  /** The row's own id (a Vigil id): the share endpoint uses it. */
  id: string;
  stix_id: string;
  type: string;
  /** modified, else created, else '' (objects without either: SCOs, which are not versioned). */
  version: string;
  /** The same as microseconds since the epoch (0 when unversioned). */
  version_micros: number;
  spec_version: string;
  /** When this Vigil received this version, microseconds since the epoch; strictly increasing with seq. */
  date_added: number;
  /** The label the object's own markings give (null: it carries none); `tlp` may be stricter. */
  marked_tlp: string | null;
  /** 1 when this version says `revoked: true`. */
  revoked: number;
  /** The import that brought it. */
  import_id: string;
  /** The object as received (JSON). */
  object: string;
  created_at: number;
}

/** Valid objects of an import in progress, waiting for the import's verdict (all-or-nothing). */
export interface StixImportRowTable {
  import_id: string;
  n: number;
  row_id: string;
  stix_id: string;
  type: string;
  version: string;
  version_micros: number;
  spec_version: string;
  /** Null while a marking the object uses is defined later in the bundle. */
  tlp: string | null;
  marked_tlp: string | null;
  dist_scope: string;
  dist_group_id: string | null;
  /** JSON list of organisation ids for scope `orgs`. */
  dist_orgs: string | null;
  /** JSON list of marking ids, kept only while `tlp` is unresolved. */
  marking_refs: string | null;
  revoked: number;
  object: string;
  /** When it was staged (epoch ms): rows of an import that died with its process are swept after a day. */
  staged_at: number;
}

/** One row: the last seq and date_added handed out. Updating it first in a commit serialises committers. */
export interface StixCounterTable {
  id: number;
  last_seq: number;
  last_date_added: number;
}

/** Every import (API, CLI, TAXII POST, feed pull, MISP): its report, and the TAXII status resource for POSTs. */
export interface StixImportTable {
  /** A version 4 UUID (TAXII status ids are identifiers). */
  id: string;
  owner_org_id: string;
  actor_user_id: string | null;
  actor_token_id: string | null;
  source: string;
  collection_id: string | null;
  /** Microseconds since the epoch. */
  requested_at: number;
  finished_at: number | null;
  /** pending | complete | rejected */
  status: string;
  total: number;
  stored: number;
  duplicates: number;
  invalid: number;
  narrowed: number;
  /** JSON: bounded lists for the TAXII status resource and the import report. */
  successes: string;
  failures: string;
  report: string;
}

export interface TaxiiCollectionTable {
  /** A version 4 UUID, as TAXII requires for collection ids. */
  id: string;
  /** community | public | group | org */
  kind: string;
  /** The sharing group or organisation; '' for community and public. */
  ref_id: string;
  created_at: number;
}

export interface CtiSettingTable {
  key: string;
  value: string;
}

export interface CtiFeedTable {
  id: string;
  owner_org_id: string;
  /** taxii | misp */
  kind: string;
  name: string;
  url: string;
  collection_id: string | null;
  username: string | null;
  /** The token or password sent to the remote; never returned by the API. */
  secret: string | null;
  every_seconds: number;
  /** Label for objects the remote sends without a TLP marking. */
  tlp: string;
  dist_scope: string;
  dist_group_id: string | null;
  dist_orgs: string | null;
  enabled: number;
  /** Where the next pull resumes: the remote's next token and/or added_after. */
  next_token: string | null;
  added_after: string | null;
  last_pull_at: number | null;
  last_success_at: number | null;
  last_error: string | null;
  failures: number;
  next_pull_at: number;
  objects_received: number;
  created_at: number;
  updated_at: number;
}

/** MISP feed events already pulled, with the manifest timestamp they had. */
export interface CtiFeedSeenTable {
  feed_id: string;
  key: string;
  stamp: string;
}

/** Security events posted to Vigil, kept for a while so new indicators are matched against the recent past. */
export interface SecurityEventTable {
  id: Generated<number>;
  org_id: string;
  /** When it happened (epoch ms). */
  time: number;
  received_at: number;
  data: string;
}

/** How often an organisation saw an indicator, and the alert and sighting the matches became. */
export interface IndicatorSightingTable {
  indicator_stix_id: string;
  org_id: string;
  count: number;
  first_seen: number;
  last_seen: number;
  alert_id: string | null;
  sighting_stix_id: string;
  /** `modified` of the sighting's latest version (epoch ms): each new version is later. */
  sighting_modified: number;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    stix_objects: StixObjectTable;
    stix_import_rows: StixImportRowTable;
    stix_counter: StixCounterTable;
    stix_imports: StixImportTable;
    taxii_collections: TaxiiCollectionTable;
    cti_settings: CtiSettingTable;
    cti_feeds: CtiFeedTable;
    cti_feed_seen: CtiFeedSeenTable;
    security_events: SecurityEventTable;
    indicator_sightings: IndicatorSightingTable;
  }
}
