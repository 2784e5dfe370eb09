import type { Queryable, Tx } from '../db/connection.js';
import { type Distribution, type Sharing, type Viewer, canSee } from '../sharing/policy.js';
import { distributionOf, encodeOrgList } from '../sharing/store.js';
import { eventVisibleTo } from '../sharing/visibility.js';

/**
 * The event log: every change, in one order. The live stream, the audit of what was seen and
 * federation are views of it. Each event carries the audience of its record at the time of the change,
 * so who may receive it is decided by the same policy as the record itself.
 */
export interface VigilEvent {
  id: number;
  at: number;
  /** e.g. `alert.created`, `incident.updated`, `record.removed`. */
  type: string;
  recordKind: string | null;
  recordId: string | null;
  actorOrgId: string | null;
  audience: EventAudience;
  data: unknown;
}

/**
 * Who may receive an event. Usually the record's own sharing; for a removal it is the organisations
 * that just lost sight of the record (owner null, scope orgs).
 */
export interface EventAudience {
  ownerOrgId: string | null;
  distribution: Distribution;
}

export type NewEvent = Omit<VigilEvent, 'id' | 'at'> & { at?: number };

export function audienceOf(sharing: Sharing): EventAudience {
  return { ownerOrgId: sharing.ownerOrgId, distribution: sharing.distribution };
}

/** The same decision as `canSee`, over an event's audience. */
export function canReceive(viewer: Viewer, event: Pick<VigilEvent, 'audience'>): boolean {
  const { ownerOrgId, distribution } = event.audience;
  return canSee(viewer, { ownerOrgId: ownerOrgId ?? '', tlp: 'clear', distribution });
}

/** Appends inside the caller's transaction; the caller holds the log-order lock (kernel write path). */
export async function appendEvent(tx: Tx, event: NewEvent, now: number): Promise<VigilEvent> {
  const at = event.at ?? now;
  const d = event.audience.distribution;
  const row = await tx
    .insertInto('events')
    .values({
      at,
      type: event.type,
      record_kind: event.recordKind,
      record_id: event.recordId,
      actor_org_id: event.actorOrgId,
      aud_owner: event.audience.ownerOrgId,
      aud_scope: d.scope,
      aud_group_id: d.scope === 'group' ? d.groupId : null,
      aud_orgs: d.scope === 'orgs' ? encodeOrgList(d.orgIds) : null,
      data: JSON.stringify(event.data ?? null),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...event, id: Number(row.id), at };
}

/** Visible events after `afterId`, oldest first: what a reconnecting client missed. */
export async function readEventsAfter(db: Queryable, viewer: Viewer, afterId: number, limit: number): Promise<VigilEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('id', '>', afterId)
    .where(eventVisibleTo(viewer))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    return {
      id: Number(r.id),
      at: Number(r.at),
      type: r.type,
      recordKind: r.record_kind,
      recordId: r.record_id,
      actorOrgId: r.actor_org_id,
      audience: { ownerOrgId: r.aud_owner, distribution: distributionOf(r.aud_scope, r.aud_group_id, r.aud_orgs) },
      data: JSON.parse(r.data) as unknown,
    };
  });
}

export async function lastEventId(db: Queryable): Promise<number> {
  const row = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  return Number(row?.max ?? 0);
}
