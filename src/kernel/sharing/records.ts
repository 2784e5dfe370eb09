import type { Kysely } from 'kysely';
import type { Queryable } from '../db/connection.js';
import type { Database, SharedColumns } from '../db/schema.js';
import { audienceOf } from '../events/log.js';
import type { Write } from '../kernel.js';
import { type Distribution, type ShareRequest, type Sharing, type Tlp, checkShare, lostSight, tlpRank } from './policy.js';
import { loadSharingWorld, sharingColumns, sharingOf } from './store.js';

/**
 * The operations every shared record (asset, alert, incident, scenario, indicator, warning, …) has in
 * common, written once: reading its sharing, and re-sharing it under the policy with the event and audit
 * entries that go with it.
 */
/** Every table whose rows carry the shared columns (capabilities add theirs to `Database`). */
export type SharedTable = { [T in keyof Database]: Database[T] extends SharedColumns & { id: string } ? T : never }[keyof Database];

/** The shared columns are the same on every shared table; this view of the database says so to Kysely. */
function sharedTables(db: Queryable): Kysely<{ shared: SharedColumns & { id: string } }> {
  return db as unknown as Kysely<{ shared: SharedColumns & { id: string } }>;
}

export async function readSharing(db: Queryable, table: SharedTable, id: string): Promise<Sharing | null> {
  const row = await sharedTables(db)
    .selectFrom(table as 'shared')
    .select(['id', 'owner_org_id', 'tlp', 'dist_scope', 'dist_group_id', 'dist_orgs'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return sharingOf(row);
}

export type ShareOutcome = { ok: true; sharing: Sharing; lost: string[] } | { ok: false; reason: string };

/**
 * Re-shares one record inside the caller's write. The caller has checked the actor's role and that the
 * actor sees the record. Emits `<kind>.shared` to the new audience and `record.removed` to the
 * organisations that lose sight of it, and audits the change with before and after.
 */
export async function shareRecord(
  w: Write,
  args: { kind: string; table: SharedTable; id: string; current: Sharing; request: ShareRequest; record: (sharing: Sharing) => unknown },
): Promise<ShareOutcome> {
  const world = await loadSharingWorld(w.tx);
  const actorOrg = w.actor.orgId ?? '';
  const decision = checkShare(actorOrg, args.current, args.request, world);
  if (!decision.allowed) return { ok: false, reason: decision.reason };
  const next: Sharing = { ...args.current, tlp: args.request.tlp ?? args.current.tlp, distribution: args.request.distribution };
  const columns = sharingColumns(next);
  await sharedTables(w.tx)
    .updateTable(args.table as 'shared')
    .set({ tlp: columns.tlp, dist_scope: columns.dist_scope, dist_group_id: columns.dist_group_id, dist_orgs: columns.dist_orgs })
    .where('id', '=', args.id)
    .execute();
  const lost = lostSight(args.current, next, world);
  await w.emit({
    type: `${args.kind}.shared`,
    recordKind: args.kind,
    recordId: args.id,
    actorOrgId: w.actor.orgId,
    audience: audienceOf(next),
    data: args.record(next),
  });
  if (lost.length > 0) {
    await w.emit({
      type: 'record.removed',
      recordKind: args.kind,
      recordId: args.id,
      actorOrgId: w.actor.orgId,
      audience: { ownerOrgId: null, distribution: { scope: 'orgs', orgIds: lost } },
      data: { kind: args.kind, id: args.id },
    });
  }
  await w.audit({
    action: `${args.kind}.share`,
    targetKind: args.kind,
    targetId: args.id,
    details: {
      ownerOrgId: args.current.ownerOrgId,
      before: { tlp: args.current.tlp, distribution: args.current.distribution },
      after: { tlp: next.tlp, distribution: next.distribution },
      raised: tlpRank(next.tlp) > tlpRank(args.current.tlp),
    },
  });
  return { ok: true, sharing: next, lost };
}

/** Organisation defaults applied when a record is created without explicit sharing. */
export interface SharingDefaults {
  tlp: Tlp;
  distribution: Distribution;
}

export const FALLBACK_DEFAULTS: SharingDefaults = { tlp: 'amber', distribution: { scope: 'owner' } };

export function defaultsFromSettings(settings: unknown): SharingDefaults {
  const s = (settings ?? {}) as { defaultTlp?: Tlp; defaultDistribution?: Distribution };
  return { tlp: s.defaultTlp ?? FALLBACK_DEFAULTS.tlp, distribution: s.defaultDistribution ?? FALLBACK_DEFAULTS.distribution };
}
