import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Viewer } from './policy.js';

/**
 * The sharing policy's `canSee` as a SQL condition, applied inside every query that reads shared
 * records (get, list, search, count, export, stream resume), so a hidden record never shapes a page,
 * a count or a cursor. `table` is the table (or alias) holding the shared columns
 * (owner_org_id, dist_scope, dist_group_id, dist_orgs). tests/sharing checks it agrees with `canSee`.
 */
export function visibleTo(viewer: Viewer, table: string): RawBuilder<SqlBool> {
  return audienceCondition(viewer, {
    owner: sql.ref(`${table}.owner_org_id`),
    scope: sql.ref(`${table}.dist_scope`),
    group: sql.ref(`${table}.dist_group_id`),
    listed: sql.ref(`${table}.dist_orgs`),
  });
}

/** The same condition over an event's audience snapshot (events.aud_*), for resuming the live stream. */
export function eventVisibleTo(viewer: Viewer, table = 'events'): RawBuilder<SqlBool> {
  return audienceCondition(viewer, {
    owner: sql.ref(`${table}.aud_owner`),
    scope: sql.ref(`${table}.aud_scope`),
    group: sql.ref(`${table}.aud_group_id`),
    listed: sql.ref(`${table}.aud_orgs`),
  });
}

interface AudienceColumns {
  owner: RawBuilder<unknown>;
  scope: RawBuilder<unknown>;
  group: RawBuilder<unknown>;
  /** The `,id1,id2,` list of scope `orgs`. */
  listed: RawBuilder<unknown>;
}

function audienceCondition(viewer: Viewer, c: AudienceColumns): RawBuilder<SqlBool> {
  if (viewer.orgId === null) return sql<SqlBool>`(${c.scope} = 'public')`;
  const parts: RawBuilder<unknown>[] = [
    sql`${c.owner} = ${viewer.orgId}`,
    sql`${c.scope} in ('community', 'public')`,
    // A match on the row itself (no join): the id is a UUID, so it holds no LIKE wildcard.
    sql`(${c.scope} = 'orgs' and ${c.listed} like ${`%,${viewer.orgId},%`})`,
  ];
  if (viewer.groupIds.size > 0) {
    parts.push(sql`(${c.scope} = 'group' and ${c.group} in (${sql.join([...viewer.groupIds])}))`);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}
