import type { FastifyRequest } from 'fastify';
import { type Severity, severityRank } from '../alerts/index.js';
import { lockLogOrder } from '../kernel/db/connection.js';
import { engineOf } from '../kernel/db/migrate.js';
import { audienceOf } from '../kernel/events/index.js';
import { Problem, badRequest, conflict, forbidden, unprocessable } from '../kernel/http/index.js';
import type { Write } from '../kernel/kernel.js';
import { type Viewer, canSee, groupsOfOrganisation } from '../kernel/sharing/index.js';
import { type IncidentStatus, type Resolution, allowedTransitions, transition } from './lifecycle.js';
import type { Incident } from './model.js';
import { addTimelineEntry, getIncident } from './queries.js';

/**
 * Changes to an incident after it is opened, each under optimistic concurrency: the caller says which version
 * it saw; the version is claimed first (a conditional update that also locks the row on PostgreSQL), so two
 * people acting on the same version cannot both win and a refused change writes nothing.
 */

/** The version the client saw: `If-Match: "3"` or `version` in the body (both must agree). Required on every change. */
export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined): number {
  const header = request.headers['if-match'];
  let fromHeader: number | undefined;
  if (typeof header === 'string' && header.trim() !== '') {
    const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
    if (!m) throw badRequest(`If-Match must carry the incident version you saw, e.g. "3" (got ${header})`);
    fromHeader = Number(m[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw badRequest(`If-Match (${fromHeader}) and version (${bodyVersion}) disagree`);
  }
  const version = fromHeader ?? bodyVersion;
  if (version === undefined) {
    throw new Problem(428, 'Send the incident version you edited (If-Match header or "version" in the body), so a change made meanwhile is not overwritten');
  }
  return version;
}

export function staleVersion(seen: number, current: number): Problem {
  return conflict(`Someone else changed this incident since you read it (your version ${seen}, now ${current}); reload and try again`, { currentVersion: current });
}

/**
 * Claims the next version of an incident for this write, or answers 409. Called before anything else is written.
 */
export async function claimVersion(w: Write, incident: Pick<Incident, 'id' | 'version'>, seen: number): Promise<number> {
  if (seen !== incident.version) throw staleVersion(seen, incident.version);
  const result = await w.tx
    .updateTable('incidents')
    .set({ version: seen + 1, updated_at: w.now })
    .where('id', '=', incident.id)
    .where('version', '=', seen)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    const now = await w.tx.selectFrom('incidents').select('version').where('id', '=', incident.id).executeTakeFirst();
    throw staleVersion(seen, now?.version ?? seen + 1);
  }
  return seen + 1;
}

/**
 * Serialises operations that move alerts between incidents (merge, split): on PostgreSQL they take the
 * event log's order lock before reading, so the checks they make stay true until they commit. SQLite
 * runs one write transaction at a time already.
 */
export async function holdAlertMoves(w: Write): Promise<void> {
  await lockLogOrder(w.tx, engineOf(w.tx));
}

export async function publishIncident(w: Write, viewer: Viewer, id: string, type = 'incident.updated'): Promise<Incident> {
  const incident = (await getIncident(w.tx, viewer, id))!;
  await w.emit({ type, recordKind: 'incident', recordId: id, actorOrgId: w.actor.orgId, audience: audienceOf(incident), data: incident });
  return incident;
}

export function requireOwner(incident: Incident, viewer: Viewer, what = 'change this incident'): void {
  if (incident.ownerOrgId !== viewer.orgId) throw forbidden(`Only the owner organisation may ${what}`);
}

export interface IncidentRevision {
  title?: string;
  description?: string;
  severity?: Severity;
  type?: string;
  status?: IncidentStatus;
  reason?: string;
  resolution?: Resolution;
  leadUserId?: string | null;
  assigneeIds?: string[];
  tags?: string[];
}

/** Users who may lead or be assigned: active users of an organisation that sees the incident. */
async function checkPeople(w: Write, incident: Incident, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  const users = await w.tx.selectFrom('users').select(['id', 'org_id', 'disabled']).where('id', 'in', userIds).execute();
  const refused: string[] = [];
  for (const id of userIds) {
    const user = users.find((u) => u.id === id);
    const sees = user && !user.disabled && canSee({ orgId: user.org_id, groupIds: await groupsOfOrganisation(w.tx, user.org_id) }, incident);
    if (!sees) refused.push(id);
  }
  if (refused.length > 0) throw unprocessable(`These people cannot work on this incident (unknown, disabled, or their organisation does not see it): ${refused.join(', ')}`);
}

const sameList = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * One revision of an incident: the status through the lifecycle (reason and resolution when it asks for
 * them), and the other fields. Every part lands on the timeline; the whole on the audit log and the stream.
 */
export async function reviseIncident(w: Write, viewer: Viewer, current: Incident, seen: number, change: IncidentRevision): Promise<Incident> {
  if (seen !== current.version) throw staleVersion(seen, current.version);
  const set: Record<string, unknown> = {};
  const entries: Array<{ kind: string; text: string; data: Record<string, unknown> }> = [];
  if (change.status !== undefined && change.status !== current.status) {
    const outcome = transition(
      { status: current.status, resolution: current.resolution, closedAt: current.closedAt, reopenCount: current.reopenCount },
      { to: change.status, by: w.actor.userId ?? w.actor.orgId ?? 'system', now: new Date(w.now).toISOString(), ...(change.reason ? { reason: change.reason } : {}), ...(change.resolution ? { resolution: change.resolution } : {}) },
    );
    if (!outcome.ok) throw unprocessable(outcome.problem, { allowed: allowedTransitions(current.status) });
    set.status = outcome.state.status;
    set.resolution = outcome.state.resolution;
    set.closed_at = outcome.state.closedAt ? w.now : null;
    set.reopen_count = outcome.state.reopenCount;
    const e = outcome.entry;
    entries.push({
      kind: 'status',
      text: `${e.from} → ${e.to}${e.resolution ? ` (${e.resolution})` : ''}${e.reason ? `: ${e.reason}` : ''}`,
      data: { from: e.from, to: e.to, reason: e.reason, resolution: e.resolution },
    });
  } else if (change.resolution !== undefined || (change.reason !== undefined && change.status === undefined)) {
    throw unprocessable('A reason or resolution goes with a status change');
  }
  if (change.title !== undefined && change.title !== current.title) set.title = change.title;
  if (change.description !== undefined && change.description !== current.description) set.description = change.description;
  if (change.type !== undefined && change.type !== current.type) {
    set.type = change.type;
    entries.push({ kind: 'type', text: `${current.type} → ${change.type}`, data: { from: current.type, to: change.type } });
  }
  if (change.severity !== undefined && change.severity !== current.severity) {
    set.severity = change.severity;
    set.severity_rank = severityRank(change.severity);
    entries.push({ kind: 'severity', text: `${current.severity} → ${change.severity}`, data: { from: current.severity, to: change.severity } });
  }
  if (change.leadUserId !== undefined && change.leadUserId !== current.leadUserId) {
    if (change.leadUserId) await checkPeople(w, current, [change.leadUserId]);
    set.lead_user_id = change.leadUserId;
    entries.push({ kind: 'lead', text: change.leadUserId ? 'new incident lead' : 'no incident lead', data: { from: current.leadUserId, to: change.leadUserId } });
  }
  if (change.tags !== undefined && !sameList(change.tags, current.tags)) {
    set.tags = JSON.stringify([...new Set(change.tags)]);
    entries.push({ kind: 'tags', text: change.tags.join(', ') || 'no tags', data: { from: current.tags, to: change.tags } });
  }
  const assignees = change.assigneeIds !== undefined && !sameList(change.assigneeIds, current.assigneeIds) ? [...new Set(change.assigneeIds)] : null;
  if (assignees) await checkPeople(w, current, assignees);
  if (Object.keys(set).length === 0 && !assignees) return current;

  await claimVersion(w, current, seen);
  if (Object.keys(set).length > 0) await w.tx.updateTable('incidents').set(set).where('id', '=', current.id).execute();
  if (assignees) {
    await w.tx.deleteFrom('incident_assignees').where('incident_id', '=', current.id).execute();
    if (assignees.length > 0) await w.tx.insertInto('incident_assignees').values(assignees.map((user_id) => ({ incident_id: current.id, user_id }))).execute();
    entries.push({ kind: 'assignees', text: `${assignees.length} assigned`, data: { from: current.assigneeIds, to: assignees } });
  }
  for (const entry of entries) await addTimelineEntry(w, current, entry);
  await w.audit({ action: 'incident.update', targetKind: 'incident', targetId: current.id, details: { change, version: seen + 1 } });
  return publishIncident(w, viewer, current.id);
}

/** Links two incidents (both directions). The caller owns `incident` and sees `other`. */
export async function linkIncidents(w: Write, viewer: Viewer, incident: Incident, seen: number, other: Incident): Promise<Incident> {
  if (other.id === incident.id) throw unprocessable('An incident cannot be linked to itself');
  if (incident.linkedIncidentIds.includes(other.id)) throw conflict('These incidents are already linked');
  await claimVersion(w, incident, seen);
  await w.tx
    .insertInto('incident_links')
    .values([
      { incident_id: incident.id, linked_id: other.id, created_at: w.now },
      { incident_id: other.id, linked_id: incident.id, created_at: w.now },
    ])
    .execute();
  await addTimelineEntry(w, incident, { kind: 'linked', text: other.title, data: { incidentId: other.id } });
  await w.audit({ action: 'incident.link', targetKind: 'incident', targetId: incident.id, details: { linkedId: other.id } });
  return publishIncident(w, viewer, incident.id);
}

export async function unlinkIncidents(w: Write, viewer: Viewer, incident: Incident, seen: number, otherId: string): Promise<Incident> {
  if (!incident.linkedIncidentIds.includes(otherId)) throw unprocessable(`This incident is not linked to ${otherId}`);
  await claimVersion(w, incident, seen);
  await w.tx
    .deleteFrom('incident_links')
    .where((eb) => eb.or([eb.and([eb('incident_id', '=', incident.id), eb('linked_id', '=', otherId)]), eb.and([eb('incident_id', '=', otherId), eb('linked_id', '=', incident.id)])]))
    .execute();
  await addTimelineEntry(w, incident, { kind: 'unlinked', text: otherId, data: { incidentId: otherId } });
  await w.audit({ action: 'incident.unlink', targetKind: 'incident', targetId: incident.id, details: { linkedId: otherId } });
  return publishIncident(w, viewer, incident.id);
}
