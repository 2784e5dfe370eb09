
/** The columns and tables the incident lifecycle adds (migration 20261122_10_incident_lifecycle). */

/** Sharing of a note or an attachment: all null when it follows its incident. */
export interface EvidenceSharingColumns {
  owner_org_id: string | null;
  tlp: string | null;
  dist_scope: string | null;
  dist_group_id: string | null;
  dist_orgs: string | null;
}

export interface IncidentAssigneeTable {
  incident_id: string;
  user_id: string;
}

export interface IncidentLinkTable {
  incident_id: string;
  linked_id: string;
  created_at: number;
}

export interface IncidentAttachmentTable extends EvidenceSharingColumns {
  id: string;
  incident_id: string;
  /** Hex SHA-256 of the content: also its name on disk. */
  sha256: string;
  filename: string;
  media_type: string;
  size: number;
  author_org_id: string | null;
  author_user_id: string | null;
  created_at: number;
}

export interface IncidentEvidenceTable {
  incident_id: string;
  alert_id: string;
  /** evidence | indicator */
  kind: string;
  name: string;
  value: string;
  added_at: number;
}

declare module './schema.js' {
  interface IncidentTable {
    resolution: string | null;
    reopen_count?: number;
    lead_user_id: string | null;
    /** JSON array of strings. */
    tags?: string;
  }
  interface IncidentTimelineTable {
    owner_org_id?: string | null;
    tlp?: string | null;
    dist_scope?: string | null;
    dist_group_id?: string | null;
    dist_orgs?: string | null;
  }
}

declare module '../kernel/db/schema.js' {
  interface Database {
    incident_assignees: IncidentAssigneeTable;
    incident_links: IncidentLinkTable;
    incident_attachments: IncidentAttachmentTable;
    incident_evidence: IncidentEvidenceTable;
  }
}
