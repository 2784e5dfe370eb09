import type { Queryable } from '../kernel/db/connection.js';
import type { Database } from '../kernel/db/schema.js';
import { unprocessable } from '../kernel/http/index.js';
import { newId } from '../kernel/ids.js';
import type { Write } from '../kernel/kernel.js';
import { type Viewer, loadSharingWorld, sharingColumns, visibleTo } from '../kernel/sharing/index.js';
import { type EvidenceLabel, evidenceAudience, evidenceLabelOf, evidenceLabelProblem, evidenceVisibleTo } from './evidence-sharing.js';
import type { Incident, TimelineEntry } from './model.js';
import { addTimelineEntry } from './queries.js';

/** Notes and attachments of an incident, each optionally under a stricter label than the incident. */

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
  /** Null: shared like its incident. */
  label: EvidenceLabel | null;
}

/** The sharing columns to store for a label (owner: the incident's owner, who always sees what is added). */
async function labelColumns(w: Write, incident: Incident, label: EvidenceLabel | null | undefined) {
  if (!label) return {};
  const problem = evidenceLabelProblem(incident, label, await loadSharingWorld(w.tx));
  if (problem) throw unprocessable(problem);
  const c = sharingColumns({ ownerOrgId: incident.ownerOrgId, ...label });
  return { owner_org_id: c.owner_org_id, tlp: c.tlp, dist_scope: c.dist_scope, dist_group_id: c.dist_group_id, dist_orgs: c.dist_orgs };
}

/** A note by the owner or a partner that sees the incident; `label` keeps it narrower than the incident. */
export async function addLabelledNote(w: Write, incident: Incident, text: string, label: EvidenceLabel | null | undefined): Promise<TimelineEntry> {
  const columns = await labelColumns(w, incident, label);
  const entry = await addTimelineEntry(w, incident, { kind: 'note', text });
  if (label) await w.tx.updateTable('incident_timeline').set(columns).where('id', '=', entry.id).execute();
  const labelled: TimelineEntry = { ...entry, label: label ?? null };
  // Notes do not change the incident's version: a partner's note never makes the owner's edit stale.
  await w.tx.updateTable('incidents').set({ updated_at: w.now }).where('id', '=', incident.id).execute();
  await w.emit({
    type: 'incident.note',
    recordKind: 'incident',
    recordId: incident.id,
    actorOrgId: w.actor.orgId,
    audience: evidenceAudience(incident, { authorOrgId: w.actor.orgId, label: label ?? null }),
    data: labelled,
  });
  await w.audit({ action: 'incident.note', targetKind: 'incident', targetId: incident.id, details: { entryId: entry.id, label: label ?? null } });
  return labelled;
}

function attachmentOf(row: Database['incident_attachments']): Attachment {
  return {
    id: row.id,
    incidentId: row.incident_id,
    filename: row.filename,
    mediaType: row.media_type,
    size: Number(row.size),
    sha256: row.sha256,
    authorOrgId: row.author_org_id,
    authorUserId: row.author_user_id,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    label: evidenceLabelOf(row),
  };
}

export async function addAttachment(
  w: Write,
  incident: Incident,
  file: { sha256: string; size: number; filename: string; mediaType: string },
  label: EvidenceLabel | null | undefined,
): Promise<Attachment> {
  const columns = await labelColumns(w, incident, label);
  const row: Database['incident_attachments'] = {
    id: newId(w.now),
    incident_id: incident.id,
    sha256: file.sha256,
    filename: file.filename,
    media_type: file.mediaType,
    size: file.size,
    author_org_id: w.actor.orgId,
    author_user_id: w.actor.userId,
    created_at: w.now,
    owner_org_id: null,
    tlp: null,
    dist_scope: null,
    dist_group_id: null,
    dist_orgs: null,
    ...columns,
  };
  await w.tx.insertInto('incident_attachments').values(row).execute();
  const attachment = attachmentOf(row);
  // The timeline entry carries the attachment's label: who may not see the file does not see its name either.
  const entry = await addTimelineEntry(w, incident, { kind: 'attachment', text: file.filename, data: { attachmentId: row.id, mediaType: file.mediaType, size: file.size } });
  if (label) await w.tx.updateTable('incident_timeline').set(columns).where('id', '=', entry.id).execute();
  await w.tx.updateTable('incidents').set({ updated_at: w.now }).where('id', '=', incident.id).execute();
  await w.emit({
    type: 'incident.attachment',
    recordKind: 'incident',
    recordId: incident.id,
    actorOrgId: w.actor.orgId,
    audience: evidenceAudience(incident, { authorOrgId: w.actor.orgId, label: label ?? null }),
    data: attachment,
  });
  await w.audit({ action: 'incident.attachment', targetKind: 'incident', targetId: incident.id, details: { attachmentId: row.id, sha256: file.sha256, size: file.size, mediaType: file.mediaType, label: label ?? null } });
  return attachment;
}

/** The attachments of an incident the viewer may see (the caller has checked the incident is visible). */
export async function listAttachments(db: Queryable, viewer: Viewer, incidentId: string): Promise<Attachment[]> {
  const rows = await db
    .selectFrom('incident_attachments')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where(evidenceVisibleTo(viewer, 'incident_attachments'))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(attachmentOf);
}

export async function getAttachment(db: Queryable, viewer: Viewer, incidentId: string, id: string): Promise<Attachment | null> {
  const row = await db
    .selectFrom('incident_attachments')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('id', '=', id)
    .where(evidenceVisibleTo(viewer, 'incident_attachments'))
    .executeTakeFirst();
  return row ? attachmentOf(row) : null;
}

export interface ImportedEvidence {
  alertId: string;
  kind: 'evidence' | 'indicator';
  name: string;
  value: unknown;
  addedAt: string;
}

/** Evidence and indicators imported from alerts the viewer may see. */
export async function listImportedEvidence(db: Queryable, viewer: Viewer, incidentId: string): Promise<ImportedEvidence[]> {
  const rows = await db
    .selectFrom('incident_evidence')
    .innerJoin('alerts', 'alerts.id', 'incident_evidence.alert_id')
    .select(['incident_evidence.alert_id', 'incident_evidence.kind', 'incident_evidence.name', 'incident_evidence.value', 'incident_evidence.added_at'])
    .where('incident_evidence.incident_id', '=', incidentId)
    .where(visibleTo(viewer, 'alerts'))
    .orderBy('incident_evidence.added_at')
    .execute();
  return rows.map((r) => ({
    alertId: r.alert_id,
    kind: r.kind as 'evidence' | 'indicator',
    name: r.name,
    value: r.kind === 'evidence' ? (JSON.parse(r.value) as unknown) : r.value,
    addedAt: new Date(Number(r.added_at)).toISOString(),
  }));
}
