import type { Queryable, Tx } from '../db/connection.js';
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
  };
}

/** Replaces the listed organisations of a record (only rows for scope `orgs` exist). */
export async function writeRecipients(tx: Tx, recordId: string, distribution: Distribution): Promise<void> {
  await tx.deleteFrom('record_recipients').where('record_id', '=', recordId).execute();
  if (distribution.scope === 'orgs' && distribution.orgIds.length > 0) {
    await tx
      .insertInto('record_recipients')
      .values(distribution.orgIds.map((org_id) => ({ record_id: recordId, org_id })))
      .execute();
  }
}

/** The listed organisations of many records at once (one query per page, not per record). */
export async function readRecipients(db: Queryable, recordIds: string[]): Promise<Map<string, string[]>> {
  const byRecord = new Map<string, string[]>();
  if (recordIds.length === 0) return byRecord;
  const rows = await db
    .selectFrom('record_recipients')
    .select(['record_id', 'org_id'])
    .where('record_id', 'in', recordIds)
    .orderBy('org_id')
    .execute();
  for (const row of rows) {
    const list = byRecord.get(row.record_id);
    if (list) list.push(row.org_id);
    else byRecord.set(row.record_id, [row.org_id]);
  }
  return byRecord;
}

/** Rebuilds the Sharing of a row from its columns and its listed organisations. */
export function sharingOf(row: SharedColumns & { id: string }, recipients: Map<string, string[]>): Sharing {
  return {
    ownerOrgId: row.owner_org_id,
    tlp: row.tlp as Tlp,
    distribution: distributionOf(row.dist_scope, row.dist_group_id, recipients.get(row.id) ?? []),
  };
}

export function distributionOf(scope: string, groupId: string | null, orgIds: string[]): Distribution {
  switch (scope) {
    case 'orgs':
      return { scope: 'orgs', orgIds };
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
