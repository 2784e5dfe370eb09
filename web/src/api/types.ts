// The shapes the Vigil API answers with (docs/api.md, /api/v1/openapi.json). The sharing vocabulary comes
// from the kernel's own policy module, so the web and the server cannot drift apart on it.
import type { Distribution, Tlp } from '../../../src/kernel/sharing/policy.js';

export type { Distribution, Tlp };

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_CATEGORIES = ['cyber', 'physical', 'cyber-physical', 'hazard', 'crowd', 'social'] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];
export const ALERT_STATUSES = ['new', 'acknowledged', 'dismissed', 'escalated'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const INCIDENT_STATUSES = ['open', 'triage', 'response', 'recovery', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const ROLES = ['admin', 'analyst', 'operator', 'responder', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Geometry {
  type: string;
  coordinates: unknown;
}

export interface SharedRecord {
  id: string;
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Alert extends SharedRecord {
  source: string;
  category: AlertCategory;
  severity: Severity;
  status: AlertStatus;
  title: string;
  description: string;
  time: string;
  lastSeen: string;
  count: number;
  location: Geometry | null;
  assetIds: string[];
  evidence: Record<string, unknown>;
  dedupKey: string | null;
}

export interface Incident extends SharedRecord {
  title: string;
  description: string;
  severity: Severity;
  status: IncidentStatus;
  type: string;
  location: Geometry | null;
  alertIds: string[];
  assetIds: string[];
  openedAt: string;
  closedAt: string | null;
  resolution?: string | null;
  reopenCount?: number;
  leadUserId?: string | null;
  assigneeIds?: string[];
  tags?: string[];
  linkedIncidentIds?: string[];
}

/** A note or attachment shared more narrowly than its incident; null when it follows the incident. */
export type EvidenceLabel = { tlp: Tlp; distribution: Distribution } | null;

export interface Attachment {
  id: string;
  incidentId: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  authorOrgId: string | null;
  authorUserId: string | null;
  createdAt: string;
  label: EvidenceLabel;
}

/** Why an alert is in an incident: a person's choice, or the correlation rule and the value shared. */
export interface IncidentAlertReason {
  alertId: string;
  addedAt: string;
  reason: Record<string, unknown>;
}

export interface Asset extends SharedRecord {
  name: string;
  type: string;
  criticality: number;
  geometry: Geometry | null;
  attributes: Record<string, unknown>;
  dependencies: Array<{ kind: string; assetId: string }>;
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
  label?: EvidenceLabel;
}

export interface Organisation {
  id: string;
  slug: string;
  name: string;
  sector: string;
  kind: string;
  settings: Record<string, unknown>;
  createdAt: string;
}

export interface User {
  id: string;
  orgId: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  orgId: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface SharingGroup {
  id: string;
  ownerOrgId: string;
  name: string;
  description: string;
  memberOrgIds: string[];
  createdAt: string;
}

export interface Me {
  user: User | null;
  organisation: Organisation;
  role: Role;
  permissions: string[];
  administersPlatform: boolean;
  demo: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A sensor or SCADA tag, on an asset (or on none, when created on first sight with no asset naming it). */
export interface Datastream {
  id: string;
  key: string;
  kind: string;
  unit: string;
  assetId: string | null;
  ownerOrgId: string;
  expectedRange: { min: number; max: number } | null;
  lastObservationAt: string | null;
  createdAt?: string;
}

export interface ObservationPoint {
  t: string;
  v: number;
  min?: number;
  max?: number;
  count?: number;
  q?: 'uncertain' | 'bad';
}

export interface ObservationSeries {
  datastreamId: string;
  resolution: string;
  /** Width of one point; 0 for raw readings. */
  bucketSeconds: number;
  truncated: boolean;
  points: ObservationPoint[];
}

export interface StreamEvent {
  id: number;
  type: string;
  at: string;
  recordKind: string | null;
  recordId: string | null;
  data: unknown;
}
