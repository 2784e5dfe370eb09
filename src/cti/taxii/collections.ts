import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { roleAllows } from '../../kernel/auth/roles.js';
import type { Principal } from '../../kernel/auth/principal.js';
import type { Queryable } from '../../kernel/db/connection.js';
import type { Distribution, Tlp } from '../../kernel/sharing/policy.js';
import { visibleTo } from '../../kernel/sharing/visibility.js';
import type { Scope } from '../store/queries.js';

/**
 * TAXII collections are views of the store, one per sharing scope the caller can see: the public, the community,
 * the caller's organisation (what it holds and what is addressed to it by name) and each of its sharing groups.
 * TLP:AMBER+STRICT and TLP:RED never appear in any collection: through TAXII they would leave the instance.
 */
export type CollectionKind = 'public' | 'community' | 'org' | 'group';

export interface CollectionRef {
  id: string;
  kind: CollectionKind;
  refId: string;
  title: string;
  description: string;
  alias: string;
  canRead: boolean;
  canWrite: boolean;
}

/** Labels that may be served over TAXII. */
export const TAXII_LABELS: readonly Tlp[] = ['clear', 'green', 'amber'];

export async function collectionsFor(db: Queryable, principal: Principal): Promise<CollectionRef[]> {
  const groups = principal.groupIds.size
    ? await db.selectFrom('sharing_groups').select(['id', 'name']).where('id', 'in', [...principal.groupIds]).orderBy('name').orderBy('id').execute()
    : [];
  const org = await db.selectFrom('organisations').select(['name', 'slug']).where('id', '=', principal.orgId).executeTakeFirstOrThrow();
  const wanted: Array<Omit<CollectionRef, 'id' | 'canRead' | 'canWrite'>> = [
    { kind: 'public', refId: '', title: 'Public', description: 'TLP:CLEAR intelligence published to everyone', alias: 'public' },
    { kind: 'community', refId: '', title: 'Community', description: 'Intelligence shared with every organisation on this Vigil', alias: 'community' },
    { kind: 'org', refId: principal.orgId, title: org.name, description: `Intelligence held by ${org.name} or addressed to it by name`, alias: `org-${org.slug}` },
    ...groups.map((g) => ({ kind: 'group' as const, refId: g.id, title: g.name, description: `Intelligence shared with the sharing group ${g.name}`, alias: `group-${g.id}` })),
  ];
  const ids = await collectionIds(db, wanted.map((w) => ({ kind: w.kind, refId: w.refId })));
  const canWrite = roleAllows(principal.role, 'intel:write');
  return wanted.map((w) => ({ ...w, id: ids.get(`${w.kind}:${w.refId}`)!, canRead: true, canWrite }));
}

/** Collection ids are random version 4 UUIDs (TAXII identifiers), made the first time a scope is listed. */
async function collectionIds(db: Queryable, scopes: Array<{ kind: string; refId: string }>): Promise<Map<string, string>> {
  const key = (kind: string, refId: string) => `${kind}:${refId}`;
  const read = async () => {
    const rows = await db
      .selectFrom('taxii_collections')
      .select(['id', 'kind', 'ref_id'])
      .where((eb) => eb.or(scopes.map((s) => eb.and([eb('kind', '=', s.kind), eb('ref_id', '=', s.refId)]))))
      .execute();
    return new Map(rows.map((r) => [key(r.kind, r.ref_id), r.id]));
  };
  let ids = await read();
  const missing = scopes.filter((s) => !ids.has(key(s.kind, s.refId)));
  if (missing.length > 0) {
    await db
      .insertInto('taxii_collections')
      .values(missing.map((s) => ({ id: randomUUID(), kind: s.kind, ref_id: s.refId, created_at: Date.now() })))
      .onConflict((oc) => oc.columns(['kind', 'ref_id']).doNothing())
      .execute();
    ids = await read();
  }
  return ids;
}

/** The rows of a collection, as the caller sees them. */
export function collectionScope(c: CollectionRef, principal: Principal): Scope {
  return (alias) => {
    const col = (name: string) => sql.ref(`${alias}.${name}`);
    let membership;
    switch (c.kind) {
      // `dist_group_id is null` says what is true anyway, so the (dist_scope, dist_group_id, seq) index walks seq order.
      case 'public':
        membership = sql`(${col('dist_scope')} = 'public' and ${col('dist_group_id')} is null)`;
        break;
      case 'community':
        membership = sql`(${col('dist_scope')} = 'community' and ${col('dist_group_id')} is null)`;
        break;
      case 'group':
        membership = sql`(${col('dist_scope')} = 'group' and ${col('dist_group_id')} = ${c.refId})`;
        break;
      case 'org':
        membership = sql`(${col('owner_org_id')} = ${c.refId} or (${col('dist_scope')} = 'orgs' and ${col('dist_orgs')} like ${`%,${c.refId},%`}))`;
        break;
    }
    return sql<boolean>`(${membership} and ${visibleTo(principal, alias)} and ${col('tlp')} in (${sql.join([...TAXII_LABELS])}))` as ReturnType<Scope>;
  };
}

/** What objects added to a collection are shared with, and the label of those that carry none. */
export function collectionSharing(c: CollectionRef): { distribution: Distribution; defaultTlp: Tlp } {
  switch (c.kind) {
    case 'public':
      return { distribution: { scope: 'public' }, defaultTlp: 'clear' };
    case 'community':
      return { distribution: { scope: 'community' }, defaultTlp: 'green' };
    case 'group':
      return { distribution: { scope: 'group', groupId: c.refId }, defaultTlp: 'amber' };
    case 'org':
      return { distribution: { scope: 'owner' }, defaultTlp: 'amber' };
  }
}
