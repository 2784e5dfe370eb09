// The shapes the threat-intelligence API answers with (src/cti/routes, docs/cti.md).
import type { Distribution, Tlp } from '../api/types';

export interface IndicatorItem {
  rowId: string;
  stixId: string;
  name: string | null;
  pattern: string;
  patternType: string;
  validFrom: string | null;
  validUntil: string | null;
  version: string;
  revoked: boolean;
  ownerOrgId: string;
  tlp: Tlp;
  labels: string[];
  /** How the row came in: api, cli, misp, taxii, feed (with its id for the feed's own organisation), publish… */
  source: { kind: string; feedId?: string } | null;
  dateAdded: string;
  matchable: boolean;
  refusedBecause: string | null;
  sightings: { count: number; firstSeen?: string; lastSeen?: string; alertId?: string | null; sightingId?: string };
}

export interface MatchedValue {
  field: string | null;
  value: string;
  stixType: string;
  stixPath?: string;
}

export interface IndicatorSightings {
  indicatorId: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  sightingId: string | null;
  alerts: Array<{ alertId: string; title: string; status: string; time: string; lastSeen: string; count: number; matched: MatchedValue[]; origin: string | null }>;
}

export interface StoredObject {
  rowId: string;
  stixId: string;
  type: string;
  version: string;
  dateAdded: string;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  revoked: boolean;
  object: Record<string, unknown>;
}

export type FeedKind = 'taxii' | 'misp';

export interface Feed {
  id: string;
  ownerOrgId: string;
  kind: FeedKind;
  name: string;
  url: string;
  collectionId: string | null;
  username: string | null;
  hasSecret: boolean;
  everySeconds: number;
  tlp: Tlp;
  distribution: Distribution;
  enabled: boolean;
  lastPullAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  failures: number;
  nextPullAt: string;
  objectsReceived: number;
  createdAt: string;
  updatedAt: string;
}

export interface PullOutcome {
  feedId: string;
  pages: number;
  objects: number;
  stored: number;
  duplicates: number;
  invalid: number;
  caughtUp: boolean;
  error?: string;
}

export interface Reason {
  code: string;
  path: string;
  message: string;
}

export interface ObjectReport {
  index: number;
  id?: string;
  type?: string;
  valid: boolean;
  reasons: Reason[];
  warnings: Reason[];
}

/** What POST /stix/bundles answers (200, or 422 inside the problem), and MISP's `import`. */
export interface ImportBody {
  importId: string;
  status: 'complete' | 'rejected' | string;
  total: number;
  stored: number;
  duplicates: number;
  invalid: number;
  narrowed: number;
  accepted: Array<{ id: string; version: string; message?: string }> | null;
  report: {
    bundleReasons: Reason[];
    total: number;
    valid: number;
    invalid: number;
    objects: ObjectReport[];
    invalidatedLate: ObjectReport[];
    syntaxError?: { message: string; offset: number };
    truncated: boolean;
  };
}

export interface MispImportBody {
  eventUuid: string | null;
  problems: Array<{ path: string; message: string }>;
  skipped: Array<{ uuid: string; reason: string }>;
  import?: ImportBody;
}

export interface TaxiiCollection {
  id: string;
  alias: string;
  kind: 'public' | 'community' | 'org' | 'group';
  title: string;
  description: string;
  canRead: boolean;
  canWrite: boolean;
  objects: number;
  versions: number;
  url: string;
}

export interface TaxiiCollections {
  discovery: string;
  apiRoot: string;
  collections: TaxiiCollection[];
}
