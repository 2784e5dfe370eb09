import type { Severity } from '../alerts/index.js';
import type { Geometry } from '../kernel/geo.js';
import type { Distribution, Tlp } from '../kernel/sharing/index.js';
import type { IncidentDetails } from './details.js';
import type { EvidenceLabel } from './evidence-sharing.js';

export const INCIDENT_STATUSES = ['open', 'triage', 'response', 'recovery', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface Incident extends IncidentDetails {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  status: IncidentStatus;
  type: string;
  location: Geometry | null;
  /** The alerts of this incident the viewer may see. */
  alertIds: string[];
  assetIds: string[];
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  openedAt: string;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TimelineEntry {
  id: string;
  incidentId: string;
  at: string;
  kind: string;
  authorOrgId: string | null;
  authorUserId: string | null;
  text: string;
  data: Record<string, unknown>;
  /** Set when the entry is shared more narrowly than its incident (a restricted note or attachment). */
  label?: EvidenceLabel | null;
}

export interface IncidentFilters {
  from?: number;
  to?: number;
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  owner?: string;
  q?: string;
  severity?: Severity[];
  status?: IncidentStatus[];
  type?: string;
  ids?: string[];
}

export interface IncidentDraft {
  title: string;
  description?: string;
  severity: Severity;
  status?: IncidentStatus;
  type?: string;
  location?: Geometry | null;
  alertIds?: string[];
  assetIds?: string[];
}
