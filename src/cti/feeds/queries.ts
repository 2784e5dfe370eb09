import type { Queryable } from '../../kernel/db/connection.js';
import type { Database } from '../../kernel/db/schema.js';
import { newId } from '../../kernel/ids.js';
import type { Write } from '../../kernel/kernel.js';
import { type Distribution, type Tlp, distributionOf, encodeOrgList } from '../../kernel/sharing/index.js';
import { DEFAULT_EVERY_SECONDS, type Feed, type FeedDraft, type FeedKind } from './model.js';

/** Feeds belong to one organisation: only it sees and changes them. Changes are audited. */
type FeedRow = Database['cti_feeds'];

export function feedOf(row: FeedRow): Feed {
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    id: row.id,
    ownerOrgId: row.owner_org_id,
    kind: row.kind as FeedKind,
    name: row.name,
    url: row.url,
    collectionId: row.collection_id,
    username: row.username,
    hasSecret: row.secret !== null && row.secret !== '',
    everySeconds: row.every_seconds,
    tlp: row.tlp as Tlp,
    distribution: distributionOf(row.dist_scope, row.dist_group_id, row.dist_orgs),
    enabled: row.enabled === 1,
    nextToken: row.next_token,
    addedAfter: row.added_after,
    lastPullAt: iso(row.last_pull_at),
    lastSuccessAt: iso(row.last_success_at),
    lastError: row.last_error,
    failures: row.failures,
    nextPullAt: iso(row.next_pull_at)!,
    objectsReceived: Number(row.objects_received),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

function distributionColumns(d: Distribution) {
  return { dist_scope: d.scope, dist_group_id: d.scope === 'group' ? d.groupId : null, dist_orgs: d.scope === 'orgs' ? encodeOrgList(d.orgIds) : null };
}

export async function createFeed(w: Write, ownerOrgId: string, draft: FeedDraft & { tlp: Tlp; distribution: Distribution }): Promise<Feed> {
  const id = newId(w.now);
  const row: FeedRow = {
    id,
    owner_org_id: ownerOrgId,
    kind: draft.kind,
    name: draft.name ?? new URL(draft.url).host,
    url: draft.url,
    collection_id: draft.collectionId ?? null,
    username: draft.username ?? null,
    secret: draft.secret ?? null,
    every_seconds: draft.everySeconds ?? DEFAULT_EVERY_SECONDS,
    tlp: draft.tlp,
    ...distributionColumns(draft.distribution),
    enabled: draft.enabled === false ? 0 : 1,
    next_token: null,
    added_after: null,
    last_pull_at: null,
    last_success_at: null,
    last_error: null,
    failures: 0,
    next_pull_at: w.now,
    objects_received: 0,
    created_at: w.now,
    updated_at: w.now,
  };
  await w.tx.insertInto('cti_feeds').values(row).execute();
  await w.audit({ action: 'feed.create', targetKind: 'feed', targetId: id, details: { kind: row.kind, url: row.url, collection: row.collection_id, tlp: row.tlp, distribution: draft.distribution } });
  return feedOf(row);
}

export async function getFeedRow(db: Queryable, id: string): Promise<FeedRow | undefined> {
  return db.selectFrom('cti_feeds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listFeeds(db: Queryable, ownerOrgId: string): Promise<Feed[]> {
  const rows = await db.selectFrom('cti_feeds').selectAll().where('owner_org_id', '=', ownerOrgId).orderBy('created_at').execute();
  return rows.map(feedOf);
}

export interface FeedChange {
  name?: string;
  url?: string;
  collectionId?: string | null;
  username?: string | null;
  secret?: string | null;
  everySeconds?: number;
  tlp?: Tlp;
  distribution?: Distribution;
  enabled?: boolean;
}

export async function changeFeed(w: Write, row: FeedRow, change: FeedChange): Promise<Feed> {
  const set: Partial<FeedRow> = { updated_at: w.now };
  if (change.name !== undefined) set.name = change.name;
  if (change.url !== undefined) set.url = change.url;
  if (change.collectionId !== undefined) set.collection_id = change.collectionId;
  if (change.username !== undefined) set.username = change.username;
  if (change.secret !== undefined) set.secret = change.secret;
  if (change.everySeconds !== undefined) set.every_seconds = change.everySeconds;
  if (change.tlp !== undefined) set.tlp = change.tlp;
  if (change.distribution !== undefined) Object.assign(set, distributionColumns(change.distribution));
  if (change.enabled !== undefined) set.enabled = change.enabled ? 1 : 0;
  // Another source or collection is another position.
  if (change.url !== undefined || change.collectionId !== undefined) Object.assign(set, { next_token: null, added_after: null });
  await w.tx.updateTable('cti_feeds').set(set).where('id', '=', row.id).execute();
  const { secret: _secret, ...shown } = change;
  await w.audit({ action: 'feed.update', targetKind: 'feed', targetId: row.id, details: { ...shown, ...(change.secret !== undefined ? { secret: '(changed)' } : {}) } });
  return feedOf((await getFeedRow(w.tx, row.id))!);
}

export async function deleteFeed(w: Write, row: FeedRow): Promise<void> {
  await w.tx.deleteFrom('cti_feed_seen').where('feed_id', '=', row.id).execute();
  await w.tx.deleteFrom('cti_feeds').where('id', '=', row.id).execute();
  await w.audit({ action: 'feed.delete', targetKind: 'feed', targetId: row.id, details: { url: row.url, kind: row.kind } });
}

export async function dueFeeds(db: Queryable, now: number): Promise<string[]> {
  const rows = await db.selectFrom('cti_feeds').select('id').where('enabled', '=', 1).where('next_pull_at', '<=', now).orderBy('next_pull_at').limit(100).execute();
  return rows.map((r) => r.id);
}
