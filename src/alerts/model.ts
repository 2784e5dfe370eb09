import type { Geometry } from '../kernel/geo.js';
import type { Distribution, Tlp } from '../kernel/sharing/index.js';

export const ALERT_CATEGORIES = ['cyber', 'physical', 'cyber-physical', 'hazard', 'crowd', 'social'] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATUSES = ['new', 'acknowledged', 'dismissed', 'escalated'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Alerts still being worked: a repeat of one of these increments its count instead of adding a row. */
export const OPEN_ALERT_STATUSES: readonly AlertStatus[] = ['new', 'acknowledged'];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export interface Alert {
  id: string;
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
  ownerOrgId: string;
  tlp: Tlp;
  distribution: Distribution;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface AlertFilters {
  from?: number;
  to?: number;
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  owner?: string;
  q?: string;
  severity?: Severity[];
  minSeverity?: Severity;
  status?: AlertStatus[];
  category?: AlertCategory[];
  assetId?: string;
  ids?: string[];
}

/** What a detector, an integration or a person raises. */
export interface AlertDraft {
  source: string;
  category: AlertCategory;
  severity: Severity;
  title: string;
  description?: string;
  time?: number;
  location?: Geometry | null;
  assetIds?: string[];
  evidence?: Record<string, unknown>;
  dedupKey?: string | null;
}
