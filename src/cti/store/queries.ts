import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Queryable } from '../../kernel/db/connection.js';
import { type Viewer, visibleTo } from '../../kernel/sharing/index.js';
import type { VersionFilter } from '../taxii/query.js';

/**
 * Reads of the STIX store. Every read goes through a `Scope`: a SQL condition on a row alias that contains the
 * caller's visibility (`visibleTo`), so the anti-joins that pick an object's latest version see exactly what the
 * caller may see — a version the caller may not see never hides one it may.
 */
export type Scope = (alias: string) => RawBuilder<SqlBool>;

export interface StoredRow {
  seq: number;
  id: string;
  stix_id: string;
  type: string;
  version: string;
  version_micros: number;
  spec_version: string;
  date_added: number;
  owner_org_id: string;
  tlp: string;
  dist_scope: string;
  dist_group_id: string | null;
  dist_orgs: string | null;
  marked_tlp: string | null;
  revoked: number;
  object: string;
}

export interface Selection {
  scope: Scope;
  ids?: readonly string[];
  types?: readonly string[];
  specVersions?: readonly string[];
  /** Defaults to the latest version of each object. */
  versions?: readonly VersionFilter[];
  /** Strictly after this date_added (microseconds). */
  addedAfter?: number;
  /** Strictly after this seq (a keyset position). */
  afterSeq?: number;
  limit: number;
  /** Newest first (the API's lists) instead of TAXII's oldest first. */
  newestFirst?: boolean;
  /** Leave the object text out (manifests, versions). */
  withoutObject?: boolean;
}

export const visibleScope =
  (viewer: Viewer): Scope =>
  (alias) =>
    visibleTo(viewer, alias);

/** `limit + 1` rows are read: the extra one only says whether there is more. */
export async function selectObjects(db: Queryable, s: Selection): Promise<{ rows: StoredRow[]; more: boolean }> {
  let afterSeq = s.afterSeq;
  if (s.addedAfter !== undefined) {
    // date_added grows with seq, so "added after" is "seq from the first row added after" (one index probe).
    const first = await db.selectFrom('stix_objects').select('seq').where('date_added', '>', s.addedAfter).orderBy('date_added').limit(1).executeTakeFirst();
    if (first === undefined) return { rows: [], more: false };
    afterSeq = Math.max(afterSeq ?? 0, Number(first.seq) - 1);
  }
  const columns = ['o.seq', 'o.id', 'o.stix_id', 'o.type', 'o.version', 'o.version_micros', 'o.spec_version', 'o.date_added', 'o.owner_org_id', 'o.tlp', 'o.dist_scope', 'o.dist_group_id', 'o.dist_orgs', 'o.marked_tlp', 'o.revoked'] as const;
  let q = db
    .selectFrom('stix_objects as o')
    .select(columns)
    .where(s.scope('o'))
    .where(filters(s, 'o'))
    .where(versionCondition(s));
  if (!s.withoutObject) q = q.select('o.object') as typeof q;
  if (afterSeq !== undefined) q = q.where('o.seq', s.newestFirst ? '<' : '>', afterSeq);
  const rows = (await q
    .orderBy('o.seq', s.newestFirst ? 'desc' : 'asc')
    .limit(s.limit + 1)
    .execute()) as unknown as StoredRow[];
  const more = rows.length > s.limit;
  return { rows: (more ? rows.slice(0, s.limit) : rows).map(numeric), more };
}

function numeric(row: StoredRow): StoredRow {
  return { ...row, seq: Number(row.seq), version_micros: Number(row.version_micros), date_added: Number(row.date_added), revoked: Number(row.revoked) };
}

function filters(s: Selection, alias: string): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`1 = 1`];
  if (s.ids) parts.push(s.ids.length ? sql`${sql.ref(`${alias}.stix_id`)} in (${sql.join([...s.ids])})` : sql`1 = 0`);
  if (s.types) parts.push(s.types.length ? sql`${sql.ref(`${alias}.type`)} in (${sql.join([...s.types])})` : sql`1 = 0`);
  if (s.specVersions) parts.push(s.specVersions.length ? sql`${sql.ref(`${alias}.spec_version`)} in (${sql.join([...s.specVersions])})` : sql`1 = 0`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/**
 * TAXII's match[version] over what the scope holds: `last` = no later version in scope, `first` = no earlier,
 * a timestamp = that version exactly (date_added for unversioned objects), `all` = every version. When several
 * holders have the same version of an object, only the copy that arrived first counts (one object, one version).
 */
function versionCondition(s: Selection): RawBuilder<SqlBool> {
  const versions = s.versions ?? [{ kind: 'last' }];
  const other = (condition: RawBuilder<unknown>) =>
    sql`not exists (select 1 from stix_objects o2 where o2.stix_id = o.stix_id and ${s.scope('o2')} and ${filters({ ...s, ids: undefined, types: undefined }, 'o2')} and (${condition}))`;
  const earlierCopy = sql`o2.version_micros = o.version_micros and o2.seq < o.seq`;
  const parts = versions.map((v) => {
    switch (v.kind) {
      case 'last':
        return other(sql`o2.version_micros > o.version_micros or (${earlierCopy})`);
      case 'first':
        return other(sql`o2.version_micros < o.version_micros or (${earlierCopy})`);
      case 'all':
        return other(earlierCopy);
      case 'timestamp':
        return sql`((o.version_micros = ${v.micros} or (o.version_micros = 0 and o.date_added = ${v.micros})) and ${other(earlierCopy)})`;
    }
  });
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** Marking definitions the viewer may see in the store: known to a bundle that refers to them. */
export async function storedMarkings(db: Queryable, viewer: Viewer): Promise<Map<string, Record<string, unknown>>> {
  const rows = await db
    .selectFrom('stix_objects as o')
    .select(['o.stix_id', 'o.object'])
    .where('o.type', '=', 'marking-definition')
    .where(visibleTo(viewer, 'o'))
    .limit(10_000)
    .execute();
  return new Map(rows.map((r) => [r.stix_id, JSON.parse(r.object) as Record<string, unknown>]));
}

/** One stored row by its Vigil id, if the viewer may see it. */
export async function getStoredRow(db: Queryable, viewer: Viewer, rowId: string): Promise<StoredRow | null> {
  const row = await db.selectFrom('stix_objects as o').selectAll('o').where('o.id', '=', rowId).where(visibleTo(viewer, 'o')).executeTakeFirst();
  return row ? numeric(row as unknown as StoredRow) : null;
}
