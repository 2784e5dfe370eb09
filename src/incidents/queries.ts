import type { SelectQueryBuilder } from 'kysely';
import { type Alert, OPEN_ALERT_STATUSES, type Severity, changeAlert, getAlert, severityRank } from '../alerts/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import type { Database } from '../kernel/db/schema.js';
import { after, textMatches } from '../kernel/db/list.js';
import { audienceOf } from '../kernel/events/index.js';
import { type Geometry, anchorOf } from '../kernel/geo.js';
import { type Position, type Slice, sliceOf } from '../kernel/http/cursor.js';
import { newId } from '../kernel/ids.js';
import type { Write } from '../kernel/kernel.js';
import { type Sharing, type Viewer, sharingColumns, sharingOf, visibleTo } from '../kernel/sharing/index.js';
import { incidentDetails } from './details.js';
import { evidenceLabelOf, evidenceVisibleTo } from './evidence-sharing.js';
import type { Incident, IncidentDraft, IncidentFilters, IncidentStatus, TimelineEntry } from './model.js';

type IncidentRow = Database['incidents'];

export function filteredIncidents(db: Queryable, viewer: Viewer, f: IncidentFilters): SelectQueryBuilder<Database, 'incidents', {}> {
  let q = db.selectFrom('incidents').where(visibleTo(viewer, 'incidents'));
  if (f.from !== undefined) q = q.where('opened_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('opened_at', '<=', f.to);
  if (f.owner) q = q.where('owner_org_id', '=', f.owner);
  if (f.severity?.length) q = q.where('severity_rank', 'in', f.severity.map(severityRank));
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.ids?.length) q = q.where('incidents.id', 'in', f.ids);
  if (f.q) q = q.where(textMatches(['incidents.title', 'incidents.description'], f.q));
  if (f.bbox) {
    const b = f.bbox;
    q = q.where('lon', '>=', b.minLon).where('lon', '<=', b.maxLon).where('lat', '>=', b.minLat).where('lat', '<=', b.maxLat);
  }
  return q;
}

async function toIncidents(db: Queryable, viewer: Viewer, rows: IncidentRow[]): Promise<Incident[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [alerts, assets, details] = await Promise.all([
    // Only the alerts and assets the viewer may see are named: an incident shared wider than its parts
    // does not reveal them.
    db
      .selectFrom('incident_alerts')
      .innerJoin('alerts', 'alerts.id', 'incident_alerts.alert_id')
      .select(['incident_alerts.incident_id', 'incident_alerts.alert_id'])
      .where('incident_alerts.incident_id', 'in', ids)
      .where(visibleTo(viewer, 'alerts'))
      .orderBy('incident_alerts.added_at')
      .execute(),
    db
      .selectFrom('incident_assets')
      .innerJoin('assets', 'assets.id', 'incident_assets.asset_id')
      .select(['incident_assets.incident_id', 'incident_assets.asset_id'])
      .where('incident_assets.incident_id', 'in', ids)
      .where(visibleTo(viewer, 'assets'))
      .execute(),
    incidentDetails(db, viewer, rows),
  ]);
  return rows.map((row) => {
    const sharing = sharingOf(row);
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      severity: row.severity as Severity,
      status: row.status as IncidentStatus,
      type: row.type,
      location: row.location ? (JSON.parse(row.location) as Geometry) : null,
      alertIds: alerts.filter((a) => a.incident_id === row.id).map((a) => a.alert_id),
      assetIds: assets.filter((a) => a.incident_id === row.id).map((a) => a.asset_id),
      ownerOrgId: sharing.ownerOrgId,
      tlp: sharing.tlp,
      distribution: sharing.distribution,
      openedAt: new Date(Number(row.opened_at)).toISOString(),
      closedAt: row.closed_at === null ? null : new Date(Number(row.closed_at)).toISOString(),
      createdAt: new Date(Number(row.created_at)).toISOString(),
      updatedAt: new Date(Number(row.updated_at)).toISOString(),
      version: row.version,
      ...details.get(row.id)!,
    };
  });
}

const positionOf = (row: IncidentRow): Position => ({ k: Number(row.opened_at), id: row.id });

export async function listIncidents(db: Queryable, viewer: Viewer, f: IncidentFilters, limit: number, cursor: Position | null): Promise<Slice<Incident>> {
  const rows = await filteredIncidents(db, viewer, f)
    .selectAll()
    .where(after('incidents.opened_at', 'incidents.id', cursor))
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const slice = sliceOf(rows, limit, positionOf);
  return { items: await toIncidents(db, viewer, slice.items), next: slice.next };
}

export async function countIncidents(db: Queryable, viewer: Viewer, f: IncidentFilters): Promise<number> {
  const row = await filteredIncidents(db, viewer, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getIncident(db: Queryable, viewer: Viewer, id: string): Promise<Incident | null> {
  const row = await filteredIncidents(db, viewer, {}).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ((await toIncidents(db, viewer, [row]))[0] ?? null) : null;
}

export async function addTimelineEntry(
  w: Write,
  incident: Pick<Incident, 'id' | 'ownerOrgId' | 'distribution'>,
  entry: { kind: string; text: string; data?: Record<string, unknown> },
): Promise<TimelineEntry> {
  const row = {
    id: newId(w.now),
    incident_id: incident.id,
    at: w.now,
    kind: entry.kind,
    author_org_id: w.actor.orgId,
    author_user_id: w.actor.userId,
    text: entry.text,
    data: JSON.stringify(entry.data ?? {}),
  };
  await w.tx.insertInto('incident_timeline').values(row).execute();
  return timelineEntryOf(row);
}

function timelineEntryOf(row: Database['incident_timeline']): TimelineEntry {
  return {
    id: row.id,
    incidentId: row.incident_id,
    at: new Date(Number(row.at)).toISOString(),
    kind: row.kind,
    authorOrgId: row.author_org_id,
    authorUserId: row.author_user_id,
    text: row.text,
    data: JSON.parse(row.data) as Record<string, unknown>,
    label: evidenceLabelOf({ tlp: row.tlp ?? null, dist_scope: row.dist_scope ?? null, dist_group_id: row.dist_group_id ?? null, dist_orgs: row.dist_orgs ?? null }),
  };
}

/** The timeline, oldest first (the order a story is read in). The caller has checked the incident is visible. */
export async function readTimeline(db: Queryable, incidentId: string, limit: number, afterPosition: Position | null, viewer?: Viewer): Promise<Slice<TimelineEntry>> {
  let q = db.selectFrom('incident_timeline').selectAll().where('incident_id', '=', incidentId);
  // Notes shared more narrowly than the incident are read only by those they reach.
  if (viewer) q = q.where(evidenceVisibleTo(viewer, 'incident_timeline'));
  if (afterPosition) q = q.where((eb) => eb.or([eb('at', '>', afterPosition.k), eb.and([eb('at', '=', afterPosition.k), eb('id', '>', afterPosition.id)])]));
  const rows = await q.orderBy('at').orderBy('id').limit(limit + 1).execute();
  const slice = sliceOf(rows, limit, (r) => ({ k: Number(r.at), id: r.id }));
  return { items: slice.items.map(timelineEntryOf), next: slice.next };
}

async function emitIncident(w: Write, viewer: Viewer, id: string, type: string): Promise<Incident> {
  const incident = (await getIncident(w.tx, viewer, id))!;
  await w.emit({ type, recordKind: 'incident', recordId: id, actorOrgId: w.actor.orgId, audience: audienceOf(incident), data: incident });
  return incident;
}

/**
 * Links alerts (already checked visible to the actor) to an incident. The actor's organisation's own
 * open alerts become `escalated`; others' alerts keep their status, which is theirs to change.
 */
export async function attachAlerts(w: Write, viewer: Viewer, incident: Pick<Incident, 'id' | 'ownerOrgId' | 'distribution'>, alerts: Alert[], reason: Record<string, unknown>): Promise<number> {
  const existing = await w.tx.selectFrom('incident_alerts').select('alert_id').where('incident_id', '=', incident.id).execute();
  const fresh = alerts.filter((a) => !existing.some((e) => e.alert_id === a.id));
  if (fresh.length === 0) return 0;
  await w.tx
    .insertInto('incident_alerts')
    .values(fresh.map((a) => ({ incident_id: incident.id, alert_id: a.id, added_at: w.now, reason: JSON.stringify(reason) })))
    .execute();
  const assetIds = [...new Set(fresh.flatMap((a) => a.assetIds))];
  if (assetIds.length > 0) {
    const known = await w.tx.selectFrom('incident_assets').select('asset_id').where('incident_id', '=', incident.id).execute();
    const newAssets = assetIds.filter((id) => !known.some((k) => k.asset_id === id));
    if (newAssets.length > 0) await w.tx.insertInto('incident_assets').values(newAssets.map((asset_id) => ({ incident_id: incident.id, asset_id }))).execute();
  }
  for (const alert of fresh) {
    await addTimelineEntry(w, incident, { kind: 'alert-added', text: alert.title, data: { alertId: alert.id, ...reason } });
    if (alert.ownerOrgId === w.actor.orgId && OPEN_ALERT_STATUSES.includes(alert.status)) {
      const current = await getAlert(w.tx, viewer, alert.id);
      if (current) await changeAlert(w, viewer, current, { status: 'escalated' });
    }
  }
  return fresh.length;
}

export async function openIncident(w: Write, viewer: Viewer, draft: IncidentDraft, alerts: Alert[], sharing: Sharing): Promise<Incident> {
  const id = newId(w.now);
  const location = draft.location ?? alerts.find((a) => a.location)?.location ?? null;
  const anchor = location ? anchorOf(location) : null;
  const status = draft.status ?? 'open';
  await w.tx
    .insertInto('incidents')
    .values({
      id,
      ...sharingColumns(sharing),
      title: draft.title,
      description: draft.description ?? '',
      severity: draft.severity,
      severity_rank: severityRank(draft.severity),
      status,
      type: draft.type ?? 'general',
      lon: anchor?.[0] ?? null,
      lat: anchor?.[1] ?? null,
      location: location ? JSON.stringify(location) : null,
      opened_at: w.now,
      closed_at: status === 'closed' ? w.now : null,
      created_at: w.now,
      updated_at: w.now,
      version: 1,
    })
    .execute();
  const assetIds = [...new Set(draft.assetIds ?? [])];
  if (assetIds.length > 0) await w.tx.insertInto('incident_assets').values(assetIds.map((asset_id) => ({ incident_id: id, asset_id }))).execute();
  const ref = { id, ownerOrgId: sharing.ownerOrgId, distribution: sharing.distribution };
  await addTimelineEntry(w, ref, { kind: 'opened', text: draft.title, data: { severity: draft.severity } });
  await attachAlerts(w, viewer, ref, alerts, { rule: 'manual' });
  await w.audit({ action: 'incident.create', targetKind: 'incident', targetId: id, details: { title: draft.title, severity: draft.severity, tlp: sharing.tlp } });
  return emitIncident(w, viewer, id, 'incident.created');
}

export interface IncidentChange {
  title?: string;
  description?: string;
  severity?: Severity;
  status?: IncidentStatus;
  type?: string;
}

export async function changeIncident(w: Write, viewer: Viewer, current: Incident, change: IncidentChange): Promise<Incident> {
  const set: Partial<IncidentRow> = { updated_at: w.now, version: current.version + 1 };
  if (change.title !== undefined) set.title = change.title;
  if (change.description !== undefined) set.description = change.description;
  if (change.type !== undefined) set.type = change.type;
  if (change.severity !== undefined && change.severity !== current.severity) {
    set.severity = change.severity;
    set.severity_rank = severityRank(change.severity);
    await addTimelineEntry(w, current, { kind: 'severity', text: `${current.severity} → ${change.severity}`, data: { from: current.severity, to: change.severity } });
  }
  if (change.status !== undefined && change.status !== current.status) {
    set.status = change.status;
    set.closed_at = change.status === 'closed' ? w.now : null;
    await addTimelineEntry(w, current, { kind: 'status', text: `${current.status} → ${change.status}`, data: { from: current.status, to: change.status } });
  }
  await w.tx.updateTable('incidents').set(set).where('id', '=', current.id).execute();
  await w.audit({ action: 'incident.update', targetKind: 'incident', targetId: current.id, details: { change } });
  return emitIncident(w, viewer, current.id, 'incident.updated');
}

export async function addNote(w: Write, viewer: Viewer, incident: Incident, text: string): Promise<TimelineEntry> {
  const entry = await addTimelineEntry(w, incident, { kind: 'note', text });
  await w.tx.updateTable('incidents').set({ updated_at: w.now }).where('id', '=', incident.id).execute();
  await w.emit({
    type: 'incident.note',
    recordKind: 'incident',
    recordId: incident.id,
    actorOrgId: w.actor.orgId,
    audience: audienceOf(incident),
    data: entry,
  });
  await w.audit({ action: 'incident.note', targetKind: 'incident', targetId: incident.id, details: { entryId: entry.id } });
  return entry;
}

export async function addAlertsToIncident(w: Write, viewer: Viewer, incident: Incident, alerts: Alert[]): Promise<Incident> {
  const added = await attachAlerts(w, viewer, incident, alerts, { rule: 'manual' });
  if (added === 0) return incident;
  await w.tx.updateTable('incidents').set({ updated_at: w.now, version: incident.version + 1 }).where('id', '=', incident.id).execute();
  await w.audit({ action: 'incident.alerts-added', targetKind: 'incident', targetId: incident.id, details: { alertIds: alerts.map((a) => a.id) } });
  return emitIncident(w, viewer, incident.id, 'incident.updated');
}
