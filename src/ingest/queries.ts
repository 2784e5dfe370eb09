import type SQLite from 'better-sqlite3';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Engine, Queryable } from '../kernel/db/connection.js';
import { newId } from '../kernel/ids.js';
import { sharingOf } from '../kernel/sharing/index.js';
import type { Write } from '../kernel/kernel.js';
import { type Viewer, visibleTo } from '../kernel/sharing/index.js';
import type { Datastream } from './model.js';
import type { DatastreamRow } from './schema.js';

/** A datastream as the pipeline keeps it in memory. */
export interface StreamRef {
  sid: number;
  id: string;
  orgId: string;
  key: string;
  assetId: string | null;
  unit: string;
  kind: string;
  expectedMin: number | null;
  expectedMax: number | null;
  lastT: number | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(Number(ms)).toISOString());

export function datastreamOf(row: DatastreamRow): Datastream {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind,
    unit: row.unit,
    assetId: row.asset_id,
    ownerOrgId: row.org_id,
    expectedRange: row.expected_min === null || row.expected_max === null ? null : { min: row.expected_min, max: row.expected_max },
    lastObservationAt: iso(row.last_observation_at),
    createdAt: iso(row.created_at)!,
  };
}

export function refOf(row: DatastreamRow): StreamRef {
  return {
    sid: Number(row.sid),
    id: row.id,
    orgId: row.org_id,
    key: row.key,
    assetId: row.asset_id,
    unit: row.unit,
    kind: row.kind,
    expectedMin: row.expected_min,
    expectedMax: row.expected_max,
    lastT: row.last_observation_at === null ? null : Number(row.last_observation_at),
  };
}

/**
 * A datastream is visible exactly when its asset is (the asset's sharing, in the query); one without an
 * asset is visible to its own organisation only.
 */
export function datastreamVisibleTo(viewer: Viewer): RawBuilder<SqlBool> {
  return sql<SqlBool>`((datastreams.asset_id is null and datastreams.org_id = ${viewer.orgId ?? ''}) or exists (select 1 from assets where assets.id = datastreams.asset_id and ${visibleTo(viewer, 'assets')}))`;
}

export async function listDatastreams(db: Queryable, viewer: Viewer, f: { assetId?: string; afterSid?: number }, limit: number) {
  let q = db.selectFrom('datastreams').selectAll().where(datastreamVisibleTo(viewer));
  if (f.assetId) q = q.where('asset_id', '=', f.assetId);
  if (f.afterSid !== undefined) q = q.where('sid', '>', f.afterSid);
  const rows = await q.orderBy('sid').limit(limit + 1).execute();
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(datastreamOf), lastSid: more ? Number(items[items.length - 1]!.sid) : null };
}

export async function getDatastreamRow(db: Queryable, viewer: Viewer, id: string): Promise<DatastreamRow | undefined> {
  return db.selectFrom('datastreams').selectAll().where('id', '=', id).where(datastreamVisibleTo(viewer)).executeTakeFirst();
}

export async function findStreams(db: Queryable, orgId: string, keys: string[]): Promise<StreamRef[]> {
  if (keys.length === 0) return [];
  const rows = await db.selectFrom('datastreams').selectAll().where('org_id', '=', orgId).where('key', 'in', keys).execute();
  return rows.map(refOf);
}

export interface NewDatastream {
  orgId: string;
  key: string;
  kind: string;
  unit: string;
  assetId: string | null;
  expectedRange: { min: number; max: number } | null;
}

/** Creates a datastream inside a write: announced on the live stream to whoever sees its asset. */
export async function insertDatastream(w: Write, input: NewDatastream): Promise<DatastreamRow> {
  const row = await w.tx
    .insertInto('datastreams')
    .values({
      id: newId(w.now),
      org_id: input.orgId,
      key: input.key,
      asset_id: input.assetId,
      kind: input.kind,
      unit: input.unit,
      expected_min: input.expectedRange?.min ?? null,
      expected_max: input.expectedRange?.max ?? null,
      created_at: w.now,
      updated_at: w.now,
      last_observation_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const asset = input.assetId
    ? await w.tx.selectFrom('assets').select(['owner_org_id', 'tlp', 'dist_scope', 'dist_group_id', 'dist_orgs']).where('id', '=', input.assetId).executeTakeFirst()
    : undefined;
  // A datastream is seen by whoever sees its asset; one without an asset stays with its organisation.
  const distribution = asset ? sharingOf(asset).distribution : ({ scope: 'owner' } as const);
  await w.emit({
    type: 'datastream.created',
    recordKind: 'datastream',
    recordId: row.id,
    actorOrgId: w.actor.orgId,
    audience: { ownerOrgId: input.orgId, distribution },
    data: datastreamOf(row),
  });
  await w.audit({ orgId: input.orgId, action: 'datastream.create', targetKind: 'datastream', targetId: row.id, details: { key: input.key, kind: input.kind, assetId: input.assetId } });
  return row;
}

/** The asset of `orgId` whose `attributes.scadaTag` (or `scadaTags`) names this key, for datastreams created on first sight. */
export async function assetForTag(db: Queryable, orgId: string, key: string): Promise<string | null> {
  const rows = await db
    .selectFrom('assets')
    .select(['id', 'attributes'])
    .where('owner_org_id', '=', orgId)
    .where(sql<SqlBool>`attributes like ${`%${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`)
    .execute();
  for (const row of rows) {
    const a = JSON.parse(row.attributes) as { scadaTag?: unknown; scadaTags?: unknown };
    if (a.scadaTag === key || (Array.isArray(a.scadaTags) && a.scadaTags.includes(key))) return row.id;
  }
  return null;
}

/** One accepted reading on its way to storage. */
export interface StoredReading {
  sid: number;
  t: number;
  v: number;
  q: number;
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

interface Prepared {
  insert: SQLite.Statement;
  minute: SQLite.Statement;
  hour: SQLite.Statement;
}
const prepared = new WeakMap<SQLite.Database, Prepared>();

function statementsOf(raw: SQLite.Database): Prepared {
  let p = prepared.get(raw);
  if (!p) {
    const upsert = (table: string) =>
      raw.prepare(
        `insert into ${table} (sid, t, min, max, sum, count) values (?, ?, ?, ?, ?, ?) on conflict (sid, t) do update set ` +
          `min = min(${table}.min, excluded.min), max = max(${table}.max, excluded.max), sum = ${table}.sum + excluded.sum, count = ${table}.count + excluded.count`,
      );
    p = { insert: raw.prepare('insert into observations (sid, t, v, q) values (?, ?, ?, ?) on conflict (sid, t) do nothing'), minute: upsert('observations_minute'), hour: upsert('observations_hour') };
    prepared.set(raw, p);
  }
  return p;
}

function bucketsOf(readings: StoredReading[], width: number) {
  const buckets = new Map<string, { sid: number; t: number; min: number; max: number; sum: number; count: number }>();
  for (const r of readings) {
    const t = Math.floor(r.t / width) * width;
    const k = `${r.sid}:${t}`;
    const b = buckets.get(k);
    if (!b) buckets.set(k, { sid: r.sid, t, min: r.v, max: r.v, sum: r.v, count: 1 });
    else {
      if (r.v < b.min) b.min = r.v;
      if (r.v > b.max) b.max = r.v;
      b.sum += r.v;
      b.count += 1;
    }
  }
  return [...buckets.values()];
}

/**
 * Writes accepted readings and folds them into the per-minute and per-hour aggregates, in the caller's
 * transaction. On SQLite it runs prepared statements on the transaction's own connection (`raw`): the
 * same SQL, without building a query per batch.
 */
export async function storeReadings(db: Queryable, engine: Engine, readings: StoredReading[], raw?: SQLite.Database): Promise<number> {
  if (raw) {
    const p = statementsOf(raw);
    let n = 0;
    for (const r of readings) n += p.insert.run(r.sid, r.t, r.v, r.q).changes;
    for (const b of bucketsOf(readings, MINUTE)) p.minute.run(b.sid, b.t, b.min, b.max, b.sum, b.count);
    for (const b of bucketsOf(readings, HOUR)) p.hour.run(b.sid, b.t, b.min, b.max, b.sum, b.count);
    return n;
  }
  let inserted = 0;
  for (let i = 0; i < readings.length; i += 1000) {
    const chunk = readings.slice(i, i + 1000);
    const result = await db.insertInto('observations').values(chunk).onConflict((oc) => oc.columns(['sid', 't']).doNothing()).executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? chunk.length);
  }
  for (const [table, width] of [['observations_minute', MINUTE], ['observations_hour', HOUR]] as const) {
    const rows = bucketsOf(readings, width);
    const lo = engine === 'postgres' ? sql.raw('least') : sql.raw('min');
    const hi = engine === 'postgres' ? sql.raw('greatest') : sql.raw('max');
    for (let i = 0; i < rows.length; i += 1000) {
      await db
        .insertInto(table)
        .values(rows.slice(i, i + 1000))
        .onConflict((oc) =>
          oc.columns(['sid', 't']).doUpdateSet({
            min: sql`${lo}(${sql.ref(`${table}.min`)}, excluded.min)`,
            max: sql`${hi}(${sql.ref(`${table}.max`)}, excluded.max)`,
            sum: sql`${sql.ref(`${table}.sum`)} + excluded.sum`,
            count: sql`${sql.ref(`${table}.count`)} + excluded.count`,
          }),
        )
        .execute();
    }
  }
  return inserted;
}

/** The newest reading time of each datastream written, in one statement. */
export async function touchStreams(db: Queryable, latest: Map<number, number>, now: number): Promise<void> {
  const entries = [...latest];
  for (let i = 0; i < entries.length; i += 400) {
    const chunk = entries.slice(i, i + 400);
    const cases = sql.join(chunk.map(([sid, t]) => sql`when ${sid} then cast(${t} as bigint)`), sql` `);
    await sql`update datastreams set last_observation_at = case sid ${cases} end, updated_at = ${now} where sid in (${sql.join(chunk.map(([sid]) => sid))})`.execute(db);
  }
}

export interface RejectionCount {
  orgId: string;
  reason: string;
  count: number;
  lastDetail: string;
}

export async function recordRejections(db: Queryable, counts: RejectionCount[], quarantine: Array<{ orgId: string; reason: string; stream: string | null; detail: string; payload: string }>, now: number): Promise<void> {
  for (const c of counts) {
    await db
      .insertInto('ingest_rejections')
      .values({ org_id: c.orgId, reason: c.reason, count: c.count, last_at: now, last_detail: c.lastDetail })
      .onConflict((oc) =>
        oc.columns(['org_id', 'reason']).doUpdateSet({
          count: sql`ingest_rejections.count + excluded.count`,
          last_at: now,
          last_detail: c.lastDetail,
        }),
      )
      .execute();
  }
  if (quarantine.length > 0) {
    await db
      .insertInto('ingest_quarantine')
      .values(quarantine.map((q) => ({ org_id: q.orgId, at: now, reason: q.reason, stream: q.stream, detail: q.detail, payload: q.payload })))
      .execute();
  }
}

export async function readRejections(db: Queryable, orgId: string, recent: number) {
  const counts = await db.selectFrom('ingest_rejections').selectAll().where('org_id', '=', orgId).orderBy('reason').execute();
  const latest = await db.selectFrom('ingest_quarantine').selectAll().where('org_id', '=', orgId).orderBy('id', 'desc').limit(recent).execute();
  return {
    counts: counts.map((c) => ({ reason: c.reason, count: Number(c.count), lastAt: iso(c.last_at)!, lastDetail: c.last_detail })),
    recent: latest.map((q) => ({ at: iso(q.at)!, reason: q.reason, stream: q.stream, detail: q.detail, payload: q.payload })),
  };
}

/** Retention: raw readings, then minute aggregates, age out; the quarantine keeps the newest entries of each organisation. */
export async function applyRetention(
  db: Queryable,
  now: number,
  days: { raw: number; minute: number; hour: number },
  quarantineKeep = 1000,
): Promise<{ raw: number; minute: number; hour: number }> {
  const sids = (await db.selectFrom('datastreams').select('sid').execute()).map((r) => Number(r.sid));
  const removed = { raw: 0, minute: 0, hour: 0 };
  const cut = async (table: 'observations' | 'observations_minute' | 'observations_hour', keepDays: number): Promise<number> => {
    if (keepDays <= 0) return 0;
    const horizon = now - keepDays * 86_400_000;
    let n = 0;
    // Per datastream, so each delete walks the (sid, t) primary key instead of scanning the table.
    for (const sid of sids) {
      const r = await db.deleteFrom(table).where('sid', '=', sid).where('t', '<', horizon).executeTakeFirst();
      n += Number(r.numDeletedRows);
    }
    return n;
  };
  removed.raw = await cut('observations', days.raw);
  removed.minute = await cut('observations_minute', days.minute);
  removed.hour = await cut('observations_hour', days.hour);
  const orgs = await db.selectFrom('ingest_quarantine').select('org_id').distinct().execute();
  for (const { org_id } of orgs) {
    const keep = await db.selectFrom('ingest_quarantine').select('id').where('org_id', '=', org_id).orderBy('id', 'desc').offset(quarantineKeep).limit(1).executeTakeFirst();
    if (keep) await db.deleteFrom('ingest_quarantine').where('org_id', '=', org_id).where('id', '<=', keep.id).execute();
  }
  return removed;
}
