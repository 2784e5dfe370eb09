import type { Queryable, Tx } from '../kernel/db/connection.js';
import type { Database } from '../kernel/db/schema.js';
import { after } from '../kernel/db/list.js';
import { type Position, type Slice, sliceOf } from '../kernel/http/cursor.js';
import { newId } from '../kernel/ids.js';
import type { AttemptRecord, Delivery, WebhookChannel } from './webhooks.js';

/**
 * Webhook channels (an organisation's endpoints) and the record of every delivery and attempt. A delivery row
 * is written in the same transaction as the message it carries, so a message is never published without
 * its deliveries, and the worker only ever moves rows forward.
 */

type ChannelRow = Database['webhook_channels'];

export interface ChannelView {
  id: string;
  orgId: string;
  name: string;
  url: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export function channelView(row: ChannelRow): ChannelView {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    url: row.url,
    active: row.active === 1,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

/** The channels of one organisation (deleted ones are gone from the list but keep their deliveries). */
export async function listChannels(db: Queryable, orgId: string): Promise<ChannelRow[]> {
  return db.selectFrom('webhook_channels').selectAll().where('org_id', '=', orgId).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
}

export async function getChannel(db: Queryable, orgId: string, id: string): Promise<ChannelRow | null> {
  return (
    (await db.selectFrom('webhook_channels').selectAll().where('id', '=', id).where('org_id', '=', orgId).where('deleted_at', 'is', null).executeTakeFirst()) ?? null
  );
}

export async function insertChannel(tx: Tx, input: { orgId: string; name: string; url: string; secret: string; active: boolean; createdBy: string | null; now: number }): Promise<ChannelRow> {
  const row: ChannelRow = {
    id: newId(input.now),
    org_id: input.orgId,
    name: input.name,
    url: input.url,
    secret: input.secret,
    active: input.active ? 1 : 0,
    created_by: input.createdBy,
    created_at: input.now,
    updated_at: input.now,
    deleted_at: null,
  };
  await tx.insertInto('webhook_channels').values(row).execute();
  return row;
}

export async function updateChannel(tx: Tx, id: string, set: Partial<Pick<ChannelRow, 'name' | 'url' | 'secret' | 'active' | 'deleted_at'>>, now: number): Promise<void> {
  await tx.updateTable('webhook_channels').set({ ...set, updated_at: now }).where('id', '=', id).execute();
}

/**
 * A deleted channel receives nothing more: its pending deliveries end as failed, with the reason, and stay
 * on record.
 */
export async function failPendingOfChannel(tx: Tx, channelId: string, reason: string, now: number): Promise<number> {
  const result = await tx
    .updateTable('webhook_deliveries')
    .set({ state: 'failed', next_attempt_at: null, last_error: reason, updated_at: now })
    .where('channel_id', '=', channelId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** One pending delivery per active channel for a message just published (inside the publishing transaction). */
export async function planDeliveries(tx: Tx, input: { identifier: string; warningId: string; event: string; now: number }): Promise<number> {
  const channels = await tx.selectFrom('webhook_channels').select('id').where('active', '=', 1).where('deleted_at', 'is', null).execute();
  if (channels.length === 0) return 0;
  await tx
    .insertInto('webhook_deliveries')
    .values(
      channels.map((c) => ({
        id: newId(input.now),
        channel_id: c.id,
        identifier: input.identifier,
        warning_id: input.warningId,
        event: input.event,
        state: 'pending',
        attempts: 0,
        next_attempt_at: input.now,
        created_at: input.now,
        updated_at: input.now,
        last_status: null,
        last_error: null,
      })),
    )
    .execute();
  return channels.length;
}

/** A delivery due for an attempt, with its channel and body (the stored XML of the message). */
export interface DueDelivery {
  delivery: Delivery;
  channel: WebhookChannel & { orgId: string };
  /** The lease value it was read with: claiming it succeeds only if nobody changed it since. */
  dueAt: number;
}

export async function dueDeliveries(db: Queryable, now: number, limit: number): Promise<DueDelivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_channels as c', 'c.id', 'd.channel_id')
    .innerJoin('cap_messages as m', 'm.identifier', 'd.identifier')
    .select(['d.id', 'd.channel_id', 'd.identifier', 'd.event', 'd.next_attempt_at', 'c.url', 'c.secret', 'c.org_id', 'm.xml'])
    .where('d.state', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where('c.active', '=', 1)
    .where('c.deleted_at', 'is', null)
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const attempts = await attemptsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    delivery: {
      id: r.id,
      channelId: r.channel_id,
      identifier: r.identifier,
      event: r.event,
      body: r.xml,
      state: 'pending',
      nextAttemptAt: new Date(Number(r.next_attempt_at)).toISOString(),
      attempts: attempts.get(r.id) ?? [],
    },
    channel: { id: r.channel_id, url: r.url, secret: r.secret, active: true, orgId: r.org_id },
    dueAt: Number(r.next_attempt_at),
  }));
}

/**
 * Takes a delivery for one attempt: moves its next attempt to the end of a lease, only if it is still as it
 * was read. Another worker (another Vigil node) that read it too then finds nothing to claim; a worker that
 * dies mid-attempt leaves it due again when the lease ends.
 */
export async function claimDelivery(db: Queryable, id: string, dueAt: number, leaseUntil: number): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: leaseUntil })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('next_attempt_at', '=', dueAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records an attempt and the delivery's state after it (recordAttempt's verdict). */
export async function saveAttempt(tx: Tx, after: Delivery, now: number): Promise<void> {
  const attempt = after.attempts[after.attempts.length - 1]!;
  await tx
    .insertInto('webhook_attempts')
    .values({
      delivery_id: after.id,
      attempt: attempt.attempt,
      at: Date.parse(attempt.at),
      status: attempt.status ?? null,
      error: attempt.error ?? null,
      duration_ms: attempt.durationMs,
      outcome: attempt.outcome,
    })
    .execute();
  await tx
    .updateTable('webhook_deliveries')
    .set({
      state: after.state,
      attempts: after.attempts.length,
      next_attempt_at: after.state === 'pending' && after.nextAttemptAt ? Date.parse(after.nextAttemptAt) : null,
      last_status: attempt.status ?? null,
      last_error: attempt.error ?? null,
      updated_at: now,
    })
    .where('id', '=', after.id)
    .execute();
}

async function attemptsOf(db: Queryable, deliveryIds: string[]): Promise<Map<string, AttemptRecord[]>> {
  const map = new Map<string, AttemptRecord[]>();
  if (deliveryIds.length === 0) return map;
  const rows = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('delivery_id').orderBy('attempt').execute();
  for (const r of rows) {
    const record: AttemptRecord = {
      attempt: r.attempt,
      at: new Date(Number(r.at)).toISOString(),
      ...(r.status !== null ? { status: r.status } : {}),
      ...(r.error !== null ? { error: r.error } : {}),
      durationMs: r.duration_ms,
      outcome: r.outcome as AttemptRecord['outcome'],
    };
    map.set(r.delivery_id, [...(map.get(r.delivery_id) ?? []), record]);
  }
  return map;
}

export interface DeliveryView {
  id: string;
  channelId: string;
  identifier: string;
  warningId: string;
  event: string;
  state: string;
  attempts: Array<{ attempt: number; at: string; status: number | null; error: string | null; durationMs: number; outcome: string }>;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The deliveries of one channel, newest first, with every attempt. */
export async function listDeliveries(db: Queryable, channelId: string, limit: number, cursor: Position | null, state?: string): Promise<Slice<DeliveryView>> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('channel_id', '=', channelId);
  if (state) q = q.where('state', '=', state);
  const rows = await q
    .where(after('webhook_deliveries.created_at', 'webhook_deliveries.id', cursor))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const slice = sliceOf(rows, limit, (r) => ({ k: Number(r.created_at), id: r.id }));
  const attempts = await attemptsOf(
    db,
    slice.items.map((r) => r.id),
  );
  return {
    next: slice.next,
    items: slice.items.map((r) => ({
      id: r.id,
      channelId: r.channel_id,
      identifier: r.identifier,
      warningId: r.warning_id,
      event: r.event,
      state: r.state,
      attempts: (attempts.get(r.id) ?? []).map((a) => ({
        attempt: a.attempt,
        at: a.at,
        status: a.status ?? null,
        error: a.error ?? null,
        durationMs: a.durationMs,
        outcome: a.outcome,
      })),
      nextAttemptAt: r.next_attempt_at === null ? null : new Date(Number(r.next_attempt_at)).toISOString(),
      createdAt: new Date(Number(r.created_at)).toISOString(),
      updatedAt: new Date(Number(r.updated_at)).toISOString(),
    })),
  };
}
