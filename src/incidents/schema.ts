import type { SharedColumns } from '../kernel/db/schema.js';

export interface IncidentTable extends SharedColumns {
  id: string;
  title: string;
  description: string;
  severity: string;
  severity_rank: number;
  status: string;
  /** The kind of incident (e.g. water-contamination, scada-intrusion); chooses playbooks and warning templates. */
  type: string;
  lon: number | null;
  lat: number | null;
  /** GeoJSON geometry as text: a point or an area. */
  location: string | null;
  opened_at: number;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface IncidentAlertTable {
  incident_id: string;
  alert_id: string;
  added_at: number;
  /** JSON: why the alert belongs here (a person's choice, or the correlation rule and shared value). */
  reason: string;
}

export interface IncidentAssetTable {
  incident_id: string;
  asset_id: string;
}

export interface IncidentTimelineTable {
  id: string;
  incident_id: string;
  at: number;
  /** note | status | severity | alert-added | shared | … */
  kind: string;
  author_org_id: string | null;
  author_user_id: string | null;
  text: string;
  /** JSON. */
  data: string;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    incidents: IncidentTable;
    incident_alerts: IncidentAlertTable;
    incident_assets: IncidentAssetTable;
    incident_timeline: IncidentTimelineTable;
  }
}
