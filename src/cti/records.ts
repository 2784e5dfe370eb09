import { type Alert, getAlert } from '../alerts/index.js';
import { getIncident } from '../incidents/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import { anchorOf } from '../kernel/geo.js';
import { flattenEvent } from './matching/security-events.js';
import type { Viewer } from '../kernel/sharing/policy.js';
import { type StixObject, type VigilAlertRecord, type VigilOrganisationRecord, alertToStix, incidentToStix } from './vigil-stix.js';

/**
 * Vigil's alerts and incidents as STIX 2.1, read as the viewer sees them (an incident lists only the alerts the
 * viewer may see). Null when the viewer does not see the record.
 */
export async function alertAsStix(db: Queryable, viewer: Viewer, id: string): Promise<{ objects: StixObject[]; record: Alert } | null> {
  const alert = await getAlert(db, viewer, id);
  if (!alert) return null;
  return { objects: alertToStix(await alertRecord(db, viewer, alert)), record: alert };
}

export async function incidentAsStix(db: Queryable, viewer: Viewer, id: string) {
  const incident = await getIncident(db, viewer, id);
  if (!incident) return null;
  const alerts: VigilAlertRecord[] = [];
  for (const alertId of incident.alertIds) {
    const alert = await getAlert(db, viewer, alertId);
    if (alert) alerts.push(await alertRecord(db, viewer, alert));
  }
  const objects = incidentToStix({
    id: incident.id,
    title: incident.title,
    description: incident.description,
    status: incident.status,
    severity: incident.severity,
    alerts,
    owner: await organisationRecord(db, incident.ownerOrgId),
    tlp: incident.tlp,
    created: incident.createdAt,
    modified: incident.updatedAt,
  });
  return { objects, record: incident };
}

async function alertRecord(db: Queryable, viewer: Viewer, alert: Alert): Promise<VigilAlertRecord> {
  void viewer;
  const place = alert.location ? anchorOf(alert.location) : null;
  const assets = alert.assetIds.length
    ? await db.selectFrom('assets').select('name').where('id', 'in', alert.assetIds).orderBy('name').execute()
    : [];
  return {
    id: alert.id,
    title: alert.title,
    description: alert.description,
    time: alert.time,
    category: alert.category,
    severity: alert.severity,
    evidence: flattenEvent(alert.evidence),
    ...(place ? { location: { latitude: place[1], longitude: place[0] } } : {}),
    assetNames: assets.map((a) => a.name),
    owner: await organisationRecord(db, alert.ownerOrgId),
    tlp: alert.tlp,
    created: alert.createdAt,
    modified: alert.updatedAt,
  };
}

export async function organisationRecord(db: Queryable, orgId: string): Promise<VigilOrganisationRecord> {
  const org = await db.selectFrom('organisations').select(['id', 'name', 'sector', 'kind', 'created_at']).where('id', '=', orgId).executeTakeFirstOrThrow();
  const created = new Date(Number(org.created_at)).toISOString();
  return { id: org.id, name: org.name, sector: org.sector, kind: org.kind as VigilOrganisationRecord['kind'], created, modified: created };
}
