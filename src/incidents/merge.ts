import type { Alert, Severity } from '../alerts/index.js';
import { unprocessable } from '../kernel/http/index.js';
import type { Write } from '../kernel/kernel.js';
import type { Viewer } from '../kernel/sharing/index.js';
import { extractIndicators, indicatorKey } from './correlation/indicators.js';
import { transition } from './lifecycle.js';
import type { Incident } from './model.js';
import { addTimelineEntry, attachAlerts, openIncident } from './queries.js';
import { claimVersion, publishIncident, staleVersion } from './revise.js';

/**
 * Merge and split: alerts move between incidents of one organisation so that each alert stays in exactly one
 * of that organisation's incidents (another organisation may have its own incident about the same alert).
 * The callers hold `holdAlertMoves` and have checked who may act; every incident touched gets a new version.
 */

/** Which parts of an alert's evidence to keep on the incident: top-level evidence fields and indicators (`ip:10.0.0.5`). */
export interface EvidenceImport {
  alertId: string;
  evidence?: string[];
  indicators?: string[];
}

export interface MergeOutcome {
  incident: Incident;
  added: string[];
  moved: Array<{ alertId: string; fromIncidentId: string }>;
  alreadyThere: string[];
}

function requireActive(incident: Incident, role: string): void {
  if (incident.status === 'closed') throw unprocessable(`The ${role} incident is closed; reopen it first`);
}

/** The incidents of `ownerOrgId` that hold each alert now. */
async function homesOf(w: Write, ownerOrgId: string, alertIds: string[]): Promise<Map<string, string[]>> {
  const homes = new Map<string, string[]>();
  if (alertIds.length === 0) return homes;
  const rows = await w.tx
    .selectFrom('incident_alerts')
    .innerJoin('incidents', 'incidents.id', 'incident_alerts.incident_id')
    .select(['incident_alerts.alert_id', 'incident_alerts.incident_id'])
    .where('incidents.owner_org_id', '=', ownerOrgId)
    .where('incident_alerts.alert_id', 'in', alertIds)
    .execute();
  for (const r of rows) homes.set(r.alert_id, [...(homes.get(r.alert_id) ?? []), r.incident_id]);
  return homes;
}

async function addAssets(w: Write, incidentId: string, assetIds: string[]): Promise<void> {
  const wanted = [...new Set(assetIds)];
  if (wanted.length === 0) return;
  const known = new Set((await w.tx.selectFrom('incident_assets').select('asset_id').where('incident_id', '=', incidentId).execute()).map((r) => r.asset_id));
  const fresh = wanted.filter((id) => !known.has(id));
  if (fresh.length > 0) await w.tx.insertInto('incident_assets').values(fresh.map((asset_id) => ({ incident_id: incidentId, asset_id }))).execute();
}

async function bump(w: Write, incidentId: string): Promise<void> {
  await w.tx.updateTable('incidents').set((eb) => ({ version: eb('version', '+', 1), updated_at: w.now })).where('id', '=', incidentId).execute();
}

/** Checks the chosen evidence exists before anything is written; returns the rows to store. */
function evidenceRows(imports: EvidenceImport[], alerts: Alert[]): Array<{ alert_id: string; kind: string; name: string; value: string }> {
  const rows: Array<{ alert_id: string; kind: string; name: string; value: string }> = [];
  for (const spec of imports) {
    const alert = alerts.find((a) => a.id === spec.alertId);
    if (!alert) throw unprocessable(`Evidence can only be imported from alerts being merged (${spec.alertId} is not one)`);
    for (const name of new Set(spec.evidence ?? [])) {
      if (!(name in alert.evidence)) throw unprocessable(`Alert ${alert.id} has no evidence field "${name}" (it has: ${Object.keys(alert.evidence).join(', ') || 'none'})`);
      rows.push({ alert_id: alert.id, kind: 'evidence', name, value: JSON.stringify(alert.evidence[name]) });
    }
    const found = new Map(extractIndicators(alert.evidence).map((i) => [indicatorKey(i), i]));
    for (const key of new Set(spec.indicators ?? [])) {
      const indicator = found.get(key);
      if (!indicator) throw unprocessable(`Alert ${alert.id} carries no indicator ${key} (it has: ${[...found.keys()].join(', ') || 'none'})`);
      rows.push({ alert_id: alert.id, kind: 'indicator', name: key, value: indicator.value });
    }
  }
  return rows;
}

async function storeEvidence(w: Write, incidentId: string, rows: Array<{ alert_id: string; kind: string; name: string; value: string }>): Promise<void> {
  if (rows.length === 0) return;
  const existing = await w.tx.selectFrom('incident_evidence').select(['alert_id', 'kind', 'name']).where('incident_id', '=', incidentId).execute();
  const has = new Set(existing.map((e) => `${e.alert_id}|${e.kind}|${e.name}`));
  const fresh = rows.filter((r) => !has.has(`${r.alert_id}|${r.kind}|${r.name}`));
  if (fresh.length > 0) await w.tx.insertInto('incident_evidence').values(fresh.map((r) => ({ ...r, incident_id: incidentId, added_at: w.now }))).execute();
}

/**
 * Adds alerts the caller sees to `target`; alerts already in another incident of the same organisation move
 * from there. Only the chosen evidence and indicators are imported.
 */
export async function mergeAlertsInto(w: Write, viewer: Viewer, target: Incident, seen: number, alerts: Alert[], imports: EvidenceImport[]): Promise<MergeOutcome> {
  if (seen !== target.version) throw staleVersion(seen, target.version);
  requireActive(target, 'target');
  const rows = evidenceRows(imports, alerts);
  await claimVersion(w, target, seen);
  const homes = await homesOf(w, target.ownerOrgId, alerts.map((a) => a.id));
  const alreadyThere: string[] = [];
  const moved: MergeOutcome['moved'] = [];
  const fresh: Alert[] = [];
  const touched = new Set<string>();
  for (const alert of alerts) {
    const at = homes.get(alert.id) ?? [];
    if (at.includes(target.id)) {
      alreadyThere.push(alert.id);
      // Already here, and (should it have been elsewhere too) now only here.
      for (const other of at.filter((i) => i !== target.id)) {
        await w.tx.deleteFrom('incident_alerts').where('incident_id', '=', other).where('alert_id', '=', alert.id).execute();
        touched.add(other);
      }
      continue;
    }
    if (at.length === 0) {
      fresh.push(alert);
      continue;
    }
    const [from, ...extra] = at as [string, ...string[]];
    await w.tx.updateTable('incident_alerts').set({ incident_id: target.id }).where('incident_id', '=', from).where('alert_id', '=', alert.id).execute();
    for (const other of extra) await w.tx.deleteFrom('incident_alerts').where('incident_id', '=', other).where('alert_id', '=', alert.id).execute();
    moved.push({ alertId: alert.id, fromIncidentId: from });
    for (const i of at) touched.add(i);
    await addTimelineEntry(w, target, { kind: 'alert-added', text: alert.title, data: { alertId: alert.id, rule: 'manual', movedFrom: from } });
  }
  await addAssets(w, target.id, alerts.filter((a) => moved.some((m) => m.alertId === a.id)).flatMap((a) => a.assetIds));
  await attachAlerts(w, viewer, target, fresh, { rule: 'manual', merge: true });
  await storeEvidence(w, target.id, rows);
  for (const other of touched) {
    await bump(w, other);
    const gone = moved.filter((m) => m.fromIncidentId === other).map((m) => m.alertId);
    const ref = { id: other, ownerOrgId: target.ownerOrgId, distribution: target.distribution };
    await addTimelineEntry(w, ref, { kind: 'alerts-moved', text: `${gone.length} alert(s) moved to another incident`, data: { alertIds: gone, toIncidentId: target.id } });
  }
  await w.audit({
    action: 'incident.merge-alerts',
    targetKind: 'incident',
    targetId: target.id,
    details: { added: fresh.map((a) => a.id), moved, alreadyThere, imported: rows.map((r) => `${r.alert_id}:${r.kind}:${r.name}`) },
  });
  for (const other of touched) await publishIncident(w, viewer, other);
  const incident = await publishIncident(w, viewer, target.id);
  return { incident, added: fresh.map((a) => a.id), moved, alreadyThere };
}

/**
 * `target` was just opened from `alertIds`: they leave every other incident of its organisation, so each alert
 * stays in exactly one. The new incident keeps its first version; the incidents they left are bumped.
 */
export async function releaseFromOtherIncidents(w: Write, viewer: Viewer, target: Incident, alertIds: string[]): Promise<void> {
  const homes = await homesOf(w, target.ownerOrgId, alertIds);
  const left = new Map<string, string[]>();
  for (const [alertId, at] of homes) {
    for (const other of at.filter((i) => i !== target.id)) {
      await w.tx.deleteFrom('incident_alerts').where('incident_id', '=', other).where('alert_id', '=', alertId).execute();
      left.set(other, [...(left.get(other) ?? []), alertId]);
    }
  }
  for (const [other, gone] of left) {
    await bump(w, other);
    const ref = { id: other, ownerOrgId: target.ownerOrgId, distribution: target.distribution };
    await addTimelineEntry(w, ref, { kind: 'alerts-moved', text: `${gone.length} alert(s) moved to another incident`, data: { alertIds: gone, toIncidentId: target.id } });
    await publishIncident(w, viewer, other);
  }
}

/** Merges `source` into `target`: its alerts, assets and imported evidence move; it closes as `merged`; the two are linked. */
export async function mergeIncidentInto(w: Write, viewer: Viewer, source: Incident, sourceSeen: number, target: Incident, targetSeen: number): Promise<{ source: Incident; target: Incident; moved: number }> {
  if (source.id === target.id) throw unprocessable('An incident cannot be merged into itself');
  if (sourceSeen !== source.version) throw staleVersion(sourceSeen, source.version);
  if (targetSeen !== target.version) throw staleVersion(targetSeen, target.version);
  requireActive(source, 'source');
  requireActive(target, 'target');
  const closing = transition(
    { status: source.status, resolution: source.resolution, closedAt: source.closedAt, reopenCount: source.reopenCount },
    { to: 'closed', resolution: 'merged', reason: `merged into ${target.id}`, by: w.actor.userId ?? w.actor.orgId ?? 'system', now: new Date(w.now).toISOString() },
  );
  if (!closing.ok) throw unprocessable(closing.problem);
  await claimVersion(w, source, sourceSeen);
  await claimVersion(w, target, targetSeen);
  // Every row of the source moves (also alerts the caller does not see: they must not stay behind in a closed incident).
  const sourceAlerts = await w.tx.selectFrom('incident_alerts').select('alert_id').where('incident_id', '=', source.id).execute();
  const targetAlerts = new Set((await w.tx.selectFrom('incident_alerts').select('alert_id').where('incident_id', '=', target.id).execute()).map((r) => r.alert_id));
  const both = sourceAlerts.filter((r) => targetAlerts.has(r.alert_id)).map((r) => r.alert_id);
  if (both.length > 0) await w.tx.deleteFrom('incident_alerts').where('incident_id', '=', source.id).where('alert_id', 'in', both).execute();
  await w.tx.updateTable('incident_alerts').set({ incident_id: target.id }).where('incident_id', '=', source.id).execute();
  const assets = await w.tx.selectFrom('incident_assets').select('asset_id').where('incident_id', '=', source.id).execute();
  await addAssets(w, target.id, assets.map((a) => a.asset_id));
  const evidence = await w.tx.selectFrom('incident_evidence').select(['alert_id', 'kind', 'name', 'value']).where('incident_id', '=', source.id).execute();
  await storeEvidence(w, target.id, evidence);
  await w.tx.deleteFrom('incident_evidence').where('incident_id', '=', source.id).execute();
  await w.tx
    .updateTable('incidents')
    .set({ status: 'closed', resolution: 'merged', closed_at: w.now })
    .where('id', '=', source.id)
    .execute();
  if (!source.linkedIncidentIds.includes(target.id)) {
    await w.tx
      .insertInto('incident_links')
      .values([
        { incident_id: source.id, linked_id: target.id, created_at: w.now },
        { incident_id: target.id, linked_id: source.id, created_at: w.now },
      ])
      .execute();
  }
  const e = closing.entry;
  await addTimelineEntry(w, source, { kind: 'status', text: `${e.from} → closed (merged): merged into ${target.title}`, data: { from: e.from, to: 'closed', reason: e.reason, resolution: 'merged', intoIncidentId: target.id } });
  await addTimelineEntry(w, target, { kind: 'merged', text: `${source.title} merged in (${sourceAlerts.length} alert(s))`, data: { fromIncidentId: source.id, alertIds: sourceAlerts.map((r) => r.alert_id) } });
  await w.audit({ action: 'incident.merge', targetKind: 'incident', targetId: target.id, details: { sourceId: source.id, alerts: sourceAlerts.length } });
  const closed = await publishIncident(w, viewer, source.id);
  return { source: closed, target: await publishIncident(w, viewer, target.id), moved: sourceAlerts.length };
}

export interface SplitDraft {
  title: string;
  description?: string;
  severity?: Severity;
  type?: string;
}

/** Moves the chosen alerts (which the caller sees in `source`) out to a new incident with the source's sharing; the two are linked. */
export async function splitIncident(w: Write, viewer: Viewer, source: Incident, seen: number, alertIds: string[], draft: SplitDraft): Promise<{ source: Incident; created: Incident }> {
  if (seen !== source.version) throw staleVersion(seen, source.version);
  requireActive(source, 'source');
  const strangers = alertIds.filter((id) => !source.alertIds.includes(id));
  if (strangers.length > 0) throw unprocessable(`These alerts are not in this incident: ${strangers.join(', ')}`);
  await claimVersion(w, source, seen);
  const created = await openIncident(
    w,
    viewer,
    { title: draft.title, description: draft.description ?? `Split from ${source.title}`, severity: draft.severity ?? source.severity, type: draft.type ?? source.type, location: source.location },
    [],
    { ownerOrgId: source.ownerOrgId, tlp: source.tlp, distribution: source.distribution },
  );
  const result = await w.tx.updateTable('incident_alerts').set({ incident_id: created.id }).where('incident_id', '=', source.id).where('alert_id', 'in', alertIds).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== alertIds.length) throw unprocessable('Some alerts left this incident meanwhile; reload and try again');
  const assets = await w.tx.selectFrom('alert_assets').select('asset_id').where('alert_id', 'in', alertIds).execute();
  await addAssets(w, created.id, assets.map((a) => a.asset_id));
  const evidence = await w.tx.selectFrom('incident_evidence').select(['alert_id', 'kind', 'name', 'value']).where('incident_id', '=', source.id).where('alert_id', 'in', alertIds).execute();
  await storeEvidence(w, created.id, evidence);
  await w.tx.deleteFrom('incident_evidence').where('incident_id', '=', source.id).where('alert_id', 'in', alertIds).execute();
  await w.tx
    .insertInto('incident_links')
    .values([
      { incident_id: source.id, linked_id: created.id, created_at: w.now },
      { incident_id: created.id, linked_id: source.id, created_at: w.now },
    ])
    .execute();
  await addTimelineEntry(w, source, { kind: 'split', text: `${alertIds.length} alert(s) split out to ${draft.title}`, data: { toIncidentId: created.id, alertIds } });
  await addTimelineEntry(w, created, { kind: 'split', text: `split from ${source.title} with ${alertIds.length} alert(s)`, data: { fromIncidentId: source.id, alertIds } });
  await w.audit({ action: 'incident.split', targetKind: 'incident', targetId: source.id, details: { newIncidentId: created.id, alertIds } });
  return { source: await publishIncident(w, viewer, source.id), created: await publishIncident(w, viewer, created.id) };
}
