import type { SelectQueryBuilder } from 'kysely';
import type { Queryable } from '../kernel/db/connection.js';
import type { Database } from '../kernel/db/schema.js';
import { after, textMatches } from '../kernel/db/list.js';
import { audienceOf } from '../kernel/events/index.js';
import { type Geometry, anchorOf } from '../kernel/geo.js';
import { type Position, type Slice, sliceOf } from '../kernel/http/cursor.js';
import { newId } from '../kernel/ids.js';
import type { Write } from '../kernel/kernel.js';
import { type Sharing, type Viewer, sharingColumns, sharingOf, visibleTo } from '../kernel/sharing/index.js';
import { type Alert, type AlertCategory, type AlertDraft, type AlertFilters, type AlertStatus, OPEN_ALERT_STATUSES, type Severity, severityRank } from './model.js';

type AlertRow = Database['alerts'];

export function filteredAlerts(db: Queryable, viewer: Viewer, f: AlertFilters): SelectQueryBuilder<Database, 'alerts', {}> {
  let q = db.selectFrom('alerts').where(visibleTo(viewer, 'alerts'));
  if (f.from !== undefined) q = q.where('time', '>=', f.from);
  if (f.to !== undefined) q = q.where('time', '<=', f.to);
  if (f.owner) q = q.where('owner_org_id', '=', f.owner);
  if (f.severity?.length) q = q.where('severity_rank', 'in', f.severity.map(severityRank));
  if (f.minSeverity) q = q.where('severity_rank', '>=', severityRank(f.minSeverity));
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.category?.length) q = q.where('category', 'in', f.category);
  if (f.ids?.length) q = q.where('alerts.id', 'in', f.ids);
  if (f.assetId) q = q.where('alerts.id', 'in', db.selectFrom('alert_assets').select('alert_id').where('asset_id', '=', f.assetId));
  if (f.q) q = q.where(textMatches(['alerts.title', 'alerts.description', 'alerts.source'], f.q));
  if (f.bbox) {
    const b = f.bbox;
    q = q.where('lon', '>=', b.minLon).where('lon', '<=', b.maxLon).where('lat', '>=', b.minLat).where('lat', '<=', b.maxLat);
  }
  return q;
}

async function toAlerts(db: Queryable, viewer: Viewer, rows: AlertRow[]): Promise<Alert[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const assets = await db
      .selectFrom('alert_assets')
      .innerJoin('assets', 'assets.id', 'alert_assets.asset_id')
      .select(['alert_assets.alert_id', 'alert_assets.asset_id'])
      .where('alert_assets.alert_id', 'in', ids)
      // An asset the viewer may not see stays out of the alert as they see it.
      .where(visibleTo(viewer, 'assets'))
      .orderBy('alert_assets.asset_id')
      .execute();
  return rows.map((row) => {
    const sharing = sharingOf(row);
    return {
      id: row.id,
      source: row.source,
      category: row.category as AlertCategory,
      severity: row.severity as Severity,
      status: row.status as AlertStatus,
      title: row.title,
      description: row.description,
      time: new Date(Number(row.time)).toISOString(),
      lastSeen: new Date(Number(row.last_seen)).toISOString(),
      count: row.count,
      location: row.location ? (JSON.parse(row.location) as Geometry) : null,
      assetIds: assets.filter((a) => a.alert_id === row.id).map((a) => a.asset_id),
      evidence: JSON.parse(row.evidence) as Record<string, unknown>,
      dedupKey: row.dedup_key,
      ownerOrgId: sharing.ownerOrgId,
      tlp: sharing.tlp,
      distribution: sharing.distribution,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      updatedAt: new Date(Number(row.updated_at)).toISOString(),
      version: row.version,
    };
  });
}

/**
 * Newest first by the time the alert happened. Two steps: the page's ids from the list indexes (which hold
 * every column visibility and the filters read), then the page's rows by id.
 */
export async function listAlerts(db: Queryable, viewer: Viewer, f: AlertFilters, limit: number, cursor: Position | null): Promise<Slice<Alert>> {
  const keys = await filteredAlerts(db, viewer, f)
    .select(['alerts.id', 'alerts.time'])
    .where(after('alerts.time', 'alerts.id', cursor))
    .orderBy('alerts.time', 'desc')
    .orderBy('alerts.id', 'desc')
    .limit(limit + 1)
    .execute();
  const slice = sliceOf(keys, limit, (k) => ({ k: Number(k.time), id: k.id }));
  if (slice.items.length === 0) return { items: [], next: null };
  const rows = await db.selectFrom('alerts').selectAll().where('id', 'in', slice.items.map((k) => k.id)).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = slice.items.map((k) => byId.get(k.id)).filter((r): r is AlertRow => r !== undefined);
  return { items: await toAlerts(db, viewer, ordered), next: slice.next };
}

export async function countAlerts(db: Queryable, viewer: Viewer, f: AlertFilters): Promise<number> {
  const row = await filteredAlerts(db, viewer, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getAlert(db: Queryable, viewer: Viewer, id: string): Promise<Alert | null> {
  const row = await filteredAlerts(db, viewer, {}).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ((await toAlerts(db, viewer, [row]))[0] ?? null) : null;
}

/** Where an alert is: its own location, else the first of its assets that has a place. */
async function placeOf(w: Write, draft: AlertDraft): Promise<Geometry | null> {
  if (draft.location) return draft.location;
  if (!draft.assetIds?.length) return null;
  const asset = await w.tx.selectFrom('assets').select('geometry').where('id', 'in', draft.assetIds).where('geometry', 'is not', null).executeTakeFirst();
  return asset?.geometry ? (JSON.parse(asset.geometry) as Geometry) : null;
}

/**
 * Raises an alert for `sharing.ownerOrgId`. With a dedup key, a repeat of an open alert of the same
 * organisation folds into it (count + 1, last seen, the higher severity) instead of adding a row.
 */
export async function raiseAlert(w: Write, viewer: Viewer, draft: AlertDraft, sharing: Sharing): Promise<{ alert: Alert; deduplicated: boolean }> {
  const time = draft.time ?? w.now;
  if (draft.dedupKey) {
    const open = await w.tx
      .selectFrom('alerts')
      .select(['id', 'severity', 'last_seen', 'count', 'version'])
      .where('owner_org_id', '=', sharing.ownerOrgId)
      .where('dedup_key', '=', draft.dedupKey)
      .where('status', 'in', [...OPEN_ALERT_STATUSES])
      .orderBy('time', 'desc')
      .executeTakeFirst();
    if (open) {
      const severity = severityRank(draft.severity) > severityRank(open.severity as Severity) ? draft.severity : (open.severity as Severity);
      await w.tx
        .updateTable('alerts')
        .set({
          count: open.count + 1,
          last_seen: Math.max(Number(open.last_seen), time),
          severity,
          severity_rank: severityRank(severity),
          evidence: JSON.stringify(draft.evidence ?? {}),
          updated_at: w.now,
          version: open.version + 1,
        })
        .where('id', '=', open.id)
        .execute();
      const alert = (await getAlert(w.tx, viewer, open.id))!;
      await w.emit({ type: 'alert.updated', recordKind: 'alert', recordId: alert.id, actorOrgId: w.actor.orgId, audience: audienceOf(alert), data: alert });
      return { alert, deduplicated: true };
    }
  }
  const id = newId(w.now);
  const location = await placeOf(w, draft);
  const anchor = location ? anchorOf(location) : null;
  await w.tx
    .insertInto('alerts')
    .values({
      id,
      ...sharingColumns(sharing),
      source: draft.source,
      category: draft.category,
      severity: draft.severity,
      severity_rank: severityRank(draft.severity),
      status: 'new',
      title: draft.title,
      description: draft.description ?? '',
      time,
      last_seen: time,
      count: 1,
      lon: anchor?.[0] ?? null,
      lat: anchor?.[1] ?? null,
      location: location ? JSON.stringify(location) : null,
      evidence: JSON.stringify(draft.evidence ?? {}),
      dedup_key: draft.dedupKey ?? null,
      created_at: w.now,
      updated_at: w.now,
      version: 1,
    })
    .execute();
  const assetIds = [...new Set(draft.assetIds ?? [])];
  if (assetIds.length > 0) await w.tx.insertInto('alert_assets').values(assetIds.map((asset_id) => ({ alert_id: id, asset_id }))).execute();
  const alert = (await getAlert(w.tx, viewer, id))!;
  await w.emit({ type: 'alert.created', recordKind: 'alert', recordId: id, actorOrgId: w.actor.orgId, audience: audienceOf(sharing), data: alert });
  await w.audit({ action: 'alert.create', targetKind: 'alert', targetId: id, details: { title: draft.title, severity: draft.severity, tlp: sharing.tlp } });
  return { alert, deduplicated: false };
}

export interface AlertChange {
  status?: AlertStatus;
  severity?: Severity;
  title?: string;
  description?: string;
}

export async function changeAlert(w: Write, viewer: Viewer, current: Alert, change: AlertChange): Promise<Alert> {
  const set: Partial<AlertRow> = { updated_at: w.now, version: current.version + 1 };
  if (change.status !== undefined) set.status = change.status;
  if (change.severity !== undefined) {
    set.severity = change.severity;
    set.severity_rank = severityRank(change.severity);
  }
  if (change.title !== undefined) set.title = change.title;
  if (change.description !== undefined) set.description = change.description;
  await w.tx.updateTable('alerts').set(set).where('id', '=', current.id).execute();
  const alert = (await getAlert(w.tx, viewer, current.id))!;
  await w.emit({ type: 'alert.updated', recordKind: 'alert', recordId: alert.id, actorOrgId: w.actor.orgId, audience: audienceOf(alert), data: alert });
  await w.audit({
    action: 'alert.update',
    targetKind: 'alert',
    targetId: alert.id,
    details: { before: pick(current, Object.keys(change)), after: change },
  });
  return alert;
}

function pick(record: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (record as Record<string, unknown>)[k]]));
}
