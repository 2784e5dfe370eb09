import type { Queryable } from '../db/connection.js';
import type { SharedColumns } from '../db/schema.js';
import type { Distribution, Sharing, SharingWorld, Tlp } from './policy.js';

/** Reads what the policy needs to compare audiences: every organisation and every group's members. */
export async function loadSharingWorld(db: Queryable): Promise<SharingWorld> {
  const [orgs, members] = await Promise.all([
    db.selectFrom('organisations').select('id').execute(),
    db.selectFrom('sharing_group_members').select(['group_id', 'org_id']).execute(),
  ]);
  const groups = new Map<string, Set<string>>();
  for (const m of members) {
    let set = groups.get(m.group_id);
    if (!set) groups.set(m.group_id, (set = new Set()));
    set.add(m.org_id);
  }
  return { orgIds: new Set(orgs.map((o) => o.id)), groupMembers: (id) => groups.get(id) };
}

export async function groupsOfOrganisation(db: Queryable, orgId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('sharing_group_members').select('group_id').where('org_id', '=', orgId).execute();
  return new Set(rows.map((r) => r.group_id));
}

/** The shared columns of a record row, for an insert or update. */
export function sharingColumns(sharing: Sharing): SharedColumns {
  const d = sharing.distribution;
  return {
    owner_org_id: sharing.ownerOrgId,
    tlp: sharing.tlp,
    dist_scope: d.scope,
    dist_group_id: d.scope === 'group' ? d.groupId : null,
    dist_orgs: d.scope === 'orgs' ? encodeOrgList(d.orgIds) : null,
  };
}

/** `,id1,id2,`: every id delimited on both sides, so `like '%,<id>,%'` matches whole ids only. */
export function encodeOrgList(orgIds: readonly string[]): string {
  return `,${orgIds.join(',')},`;
}

export function decodeOrgList(text: string | null): string[] {
  return text ? text.split(',').filter(Boolean) : [];
}

/** Rebuilds the Sharing of a row from its shared columns. */
export function sharingOf(row: SharedColumns): Sharing {
  return { ownerOrgId: row.owner_org_id, tlp: row.tlp as Tlp, distribution: distributionOf(row.dist_scope, row.dist_group_id, row.dist_orgs) };
}

export function distributionOf(scope: string, groupId: string | null, orgs: string | null): Distribution {
  switch (scope) {
    case 'orgs':
      return { scope: 'orgs', orgIds: decodeOrgList(orgs) };
    case 'group':
      return { scope: 'group', groupId: groupId ?? '' };
    case 'community':
      return { scope: 'community' };
    case 'public':
      return { scope: 'public' };
    default:
      return { scope: 'owner' };
  }
}
