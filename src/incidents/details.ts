import type { Queryable } from '../kernel/db/connection.js';
import type { Database } from '../kernel/db/schema.js';
import { type Viewer, visibleTo } from '../kernel/sharing/index.js';
import type { Resolution } from './lifecycle.js';
import './lifecycle-schema.js';

/** What the lifecycle adds to an incident as read: resolution, lead, assignees, tags, links. */
export interface IncidentDetails {
  resolution: Resolution | null;
  reopenCount: number;
  leadUserId: string | null;
  assigneeIds: string[];
  tags: string[];
  /** Linked incidents the viewer also sees: a link never reveals an incident the viewer may not see. */
  linkedIncidentIds: string[];
}

export async function incidentDetails(db: Queryable, viewer: Viewer, rows: Database['incidents'][]): Promise<Map<string, IncidentDetails>> {
  const ids = rows.map((r) => r.id);
  const [assignees, links] = ids.length === 0
    ? [[], []]
    : await Promise.all([
        db.selectFrom('incident_assignees').select(['incident_id', 'user_id']).where('incident_id', 'in', ids).orderBy('user_id').execute(),
        db
          .selectFrom('incident_links')
          .innerJoin('incidents', 'incidents.id', 'incident_links.linked_id')
          .select(['incident_links.incident_id', 'incident_links.linked_id'])
          .where('incident_links.incident_id', 'in', ids)
          .where(visibleTo(viewer, 'incidents'))
          .orderBy('incident_links.created_at')
          .execute(),
      ]);
  const details = new Map<string, IncidentDetails>();
  for (const row of rows) {
    details.set(row.id, {
      resolution: (row.resolution ?? null) as Resolution | null,
      reopenCount: Number(row.reopen_count ?? 0),
      leadUserId: row.lead_user_id ?? null,
      assigneeIds: assignees.filter((a) => a.incident_id === row.id).map((a) => a.user_id),
      tags: JSON.parse(row.tags ?? '[]') as string[],
      linkedIncidentIds: links.filter((l) => l.incident_id === row.id).map((l) => l.linked_id),
    });
  }
  return details;
}
