import { createHash } from 'node:crypto';
import type { Queryable, Tx } from '../kernel/db/connection.js';
import type { Database } from '../kernel/db/schema.js';
import { after } from '../kernel/db/list.js';
import { type Position, type Slice, sliceOf } from '../kernel/http/cursor.js';
import { newId } from '../kernel/ids.js';
import { type Sharing, type Viewer, sharingColumns, sharingOf, visibleTo } from '../kernel/sharing/index.js';
import type { PlaceholderValues } from './authoring.js';
import { isEnded, warningPhase, type MessageKind, type Proposal, type PublishedMessage, type Warning, type WarningPhase } from './lifecycle.js';
import type { Alert } from './model.js';
import { alertToXml } from './xml-write.js';

/**
 * Reads and writes of warnings, their published CAP messages and approval decisions. Every read of a warning
 * applies the sharing policy (`visibleTo`); the public routes read published messages only.
 */

type WarningRow = Database['warnings'];
type MessageRow = Database['cap_messages'];

/** A warning as stored: the pure lifecycle's Warning, and what the database keeps beside it. */
export interface StoredWarning {
  warning: Warning;
  sharing: Sharing;
  template: string | null;
  templateValues: PlaceholderValues;
  headline: string;
  phase: WarningPhase;
  live: boolean;
  createdAt: number;
  updatedAt: number;
  version: number;
  /** Deliveries per published message, by identifier. */
  deliveries: Map<string, { pending: number; delivered: number; failed: number }>;
}

export interface WarningFilters {
  phase?: WarningPhase[];
  incidentId?: string;
  owner?: string;
}

function filtered(db: Queryable, viewer: Viewer, f: WarningFilters) {
  let q = db.selectFrom('warnings').where(visibleTo(viewer, 'warnings'));
  if (f.phase?.length) q = q.where('phase', 'in', f.phase);
  if (f.incidentId) q = q.where('incident_id', '=', f.incidentId);
  if (f.owner) q = q.where('owner_org_id', '=', f.owner);
  return q;
}

export async function getWarning(db: Queryable, viewer: Viewer, id: string): Promise<StoredWarning | null> {
  const row = await filtered(db, viewer, {}).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ((await toStored(db, [row]))[0] ?? null) : null;
}

/** Newest first by creation. */
export async function listWarnings(db: Queryable, viewer: Viewer, f: WarningFilters, limit: number, cursor: Position | null): Promise<Slice<StoredWarning>> {
  const rows = await filtered(db, viewer, f)
    .selectAll()
    .where(after('warnings.created_at', 'warnings.id', cursor))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const slice = sliceOf(rows, limit, (r) => ({ k: Number(r.created_at), id: r.id }));
  return { items: await toStored(db, slice.items), next: slice.next };
}

async function toStored(db: Queryable, rows: WarningRow[]): Promise<StoredWarning[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [messages, deliveries] = await Promise.all([
    db.selectFrom('cap_messages').select(MESSAGE_FIELDS).where('warning_id', 'in', ids).orderBy('sequence').execute(),
    db
      .selectFrom('webhook_deliveries')
      .select((eb) => ['identifier', 'state', eb.fn.countAll<number>().as('n')])
      .where('warning_id', 'in', ids)
      .groupBy(['identifier', 'state'])
      .execute(),
  ]);
  const counts = new Map<string, { pending: number; delivered: number; failed: number }>();
  for (const d of deliveries) {
    const c = counts.get(d.identifier) ?? { pending: 0, delivered: 0, failed: 0 };
    if (d.state === 'pending' || d.state === 'delivered' || d.state === 'failed') c[d.state] += Number(d.n);
    counts.set(d.identifier, c);
  }
  return rows.map((row) => ({
    warning: {
      id: row.id,
      ownerOrganisationId: row.owner_org_id,
      ...(row.incident_id ? { incidentId: row.incident_id } : {}),
      createdBy: row.created_by,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      published: messages.filter((m) => m.warning_id === row.id).map(publishedOf),
      ...(row.proposal ? { proposal: JSON.parse(row.proposal) as Proposal } : {}),
    },
    sharing: sharingOf(row),
    template: row.template,
    templateValues: JSON.parse(row.template_values) as PlaceholderValues,
    headline: row.headline,
    phase: row.phase as WarningPhase,
    live: row.live === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: row.version,
    deliveries: counts,
  }));
}

const MESSAGE_FIELDS = ['warning_id', 'kind', 'alert', 'authors', 'approved_by', 'approver_org_id', 'published_at'] as const;

export function publishedOf(row: Pick<MessageRow, (typeof MESSAGE_FIELDS)[number]>): PublishedMessage {
  return {
    kind: row.kind as MessageKind,
    alert: JSON.parse(row.alert) as Alert,
    authors: JSON.parse(row.authors) as string[],
    approvedBy: row.approved_by,
    approverOrganisationId: row.approver_org_id,
    publishedAt: new Date(Number(row.published_at)).toISOString(),
  };
}

/** The columns that follow from the warning's state: phase, feed membership, expiry, headline, counts. */
function derived(warning: Warning, headline: string): Omit<WarningRow, 'id' | 'owner_org_id' | 'tlp' | 'dist_scope' | 'dist_group_id' | 'dist_orgs' | 'incident_id' | 'template' | 'template_values' | 'created_by' | 'created_at' | 'updated_at' | 'version'> {
  const last = warning.published[warning.published.length - 1];
  const first = warning.published[0];
  return {
    phase: warningPhase(warning),
    proposal: warning.proposal ? JSON.stringify(warning.proposal) : null,
    headline,
    messages: warning.published.length,
    first_published_at: first ? Date.parse(first.publishedAt) : null,
    last_published_at: last ? Date.parse(last.publishedAt) : null,
    live: last && !isEnded(warning) ? 1 : 0,
    expires_at: last ? expiresAt(last.alert) : null,
    status: last?.alert.status ?? null,
  };
}

/** When a message stops being in force: its latest <expires>; null (never) when an info block has none. */
export function expiresAt(alert: Alert): number | null {
  if (alert.info.length === 0) return null;
  let latest = -Infinity;
  for (const info of alert.info) {
    if (!info.expires) return null;
    const ms = Date.parse(info.expires);
    if (Number.isNaN(ms)) return null;
    latest = Math.max(latest, ms);
  }
  return latest;
}

export async function insertWarning(
  tx: Tx,
  input: { warning: Warning; sharing: Sharing; template: string | null; templateValues: PlaceholderValues; headline: string; now: number },
): Promise<void> {
  const { warning } = input;
  await tx
    .insertInto('warnings')
    .values({
      id: warning.id,
      ...sharingColumns(input.sharing),
      incident_id: warning.incidentId ?? null,
      template: input.template,
      template_values: JSON.stringify(input.templateValues),
      created_by: warning.createdBy,
      created_at: input.now,
      updated_at: input.now,
      version: 1,
      ...derived(warning, input.headline),
    })
    .execute();
}

/**
 * Saves the warning's new state if nobody changed it since `before` was read (false otherwise), so two
 * approvals of the same message cannot both publish.
 */
export async function updateWarning(
  tx: Tx,
  before: StoredWarning,
  next: Warning,
  changes: { headline: string; now: number; template?: string | null; templateValues?: PlaceholderValues; sharing?: Sharing },
): Promise<boolean> {
  const result = await tx
    .updateTable('warnings')
    .set({
      ...derived(next, changes.headline),
      ...(changes.template !== undefined ? { template: changes.template } : {}),
      ...(changes.templateValues ? { template_values: JSON.stringify(changes.templateValues) } : {}),
      ...(changes.sharing ? sharedColumnsBut(changes.sharing) : {}),
      updated_at: changes.now,
      version: before.version + 1,
    })
    .where('id', '=', next.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function sharedColumnsBut(sharing: Sharing) {
  const { owner_org_id: _owner, ...rest } = sharingColumns(sharing);
  return rest;
}

/** Stores a published message with the exact XML that will be served for it. */
export async function insertMessage(tx: Tx, warningId: string, sequence: number, message: PublishedMessage): Promise<{ xml: string; sha256: string }> {
  const xml = alertToXml(message.alert);
  const sha256 = createHash('sha256').update(xml).digest('hex');
  const a = message.alert;
  await tx
    .insertInto('cap_messages')
    .values({
      identifier: a.identifier,
      warning_id: warningId,
      sequence,
      kind: message.kind,
      msg_type: a.msgType,
      sender: a.sender,
      sent: a.sent,
      refs: a.references ?? null,
      status: a.status,
      xml,
      sha256,
      alert: JSON.stringify(a),
      authors: JSON.stringify(message.authors),
      approved_by: message.approvedBy,
      approver_org_id: message.approverOrganisationId,
      published_at: Date.parse(message.publishedAt),
    })
    .execute();
  return { xml, sha256 };
}

export async function insertApproval(
  tx: Tx,
  input: { warningId: string; sequence: number; kind: MessageKind; decision: 'approved' | 'rejected'; userId: string; orgId: string; at: number; reason?: string; identifier?: string },
): Promise<void> {
  await tx
    .insertInto('warning_approvals')
    .values({
      id: newId(input.at),
      warning_id: input.warningId,
      sequence: input.sequence,
      kind: input.kind,
      decision: input.decision,
      user_id: input.userId,
      org_id: input.orgId,
      at: input.at,
      reason: input.reason ?? null,
      identifier: input.identifier ?? null,
    })
    .execute();
}

export interface ApprovalRecord {
  sequence: number;
  kind: string;
  decision: string;
  userId: string;
  orgId: string;
  at: string;
  reason: string | null;
  identifier: string | null;
}

export async function approvalsOf(db: Queryable, warningId: string): Promise<ApprovalRecord[]> {
  const rows = await db.selectFrom('warning_approvals').selectAll().where('warning_id', '=', warningId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({
    sequence: r.sequence,
    kind: r.kind,
    decision: r.decision,
    userId: r.user_id,
    orgId: r.org_id,
    at: new Date(Number(r.at)).toISOString(),
    reason: r.reason,
    identifier: r.identifier,
  }));
}

/** A published message by identifier (public: every published message is TLP:CLEAR). */
export async function publishedMessage(db: Queryable, identifier: string): Promise<{ xml: string; sha256: string; publishedAt: number } | null> {
  const row = await db.selectFrom('cap_messages').select(['xml', 'sha256', 'published_at']).where('identifier', '=', identifier).executeTakeFirst();
  return row ? { xml: row.xml, sha256: row.sha256, publishedAt: Number(row.published_at) } : null;
}

/**
 * What the Atom feed needs at `now`: live warnings not yet expired, with their chains, and the instant the
 * feed last changed (a publication or an expiry), read from indexes so the archive's size does not matter.
 */
export async function feedWarnings(db: Queryable, now: number, statuses: readonly string[]): Promise<{ warnings: Warning[]; updated: number }> {
  const rows = await db
    .selectFrom('warnings')
    .select(['id', 'owner_org_id', 'created_by', 'created_at'])
    .where('live', '=', 1)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .where('status', 'in', [...statuses])
    .execute();
  const ids = rows.map((r) => r.id);
  const [messages, lastPublished, lastExpired] = await Promise.all([
    ids.length ? db.selectFrom('cap_messages').select(MESSAGE_FIELDS).where('warning_id', 'in', ids).orderBy('sequence').execute() : Promise.resolve([]),
    db.selectFrom('cap_messages').select((eb) => eb.fn.max('published_at').as('t')).where('published_at', '<=', now).executeTakeFirst(),
    db.selectFrom('warnings').select((eb) => eb.fn.max('expires_at').as('t')).where('expires_at', '<=', now).executeTakeFirst(),
  ]);
  const byWarning = new Map<string, PublishedMessage[]>();
  for (const m of messages) byWarning.set(m.warning_id, [...(byWarning.get(m.warning_id) ?? []), publishedOf(m)]);
  const warnings = rows.map(
    (r): Warning => ({
      id: r.id,
      ownerOrganisationId: r.owner_org_id,
      createdBy: r.created_by,
      createdAt: new Date(Number(r.created_at)).toISOString(),
      published: byWarning.get(r.id) ?? [],
    }),
  );
  return { warnings, updated: Math.max(Number(lastPublished?.t ?? 0), Number(lastExpired?.t ?? 0)) };
}

/** Organisations that approve: the configured slugs or ids, or every organisation of kind authority. */
export async function approverOrganisations(db: Queryable, configured: string[] | null): Promise<string[]> {
  if (configured !== null && configured.length === 0) return [];
  let q = db.selectFrom('organisations').select('id');
  q = configured === null ? q.where('kind', '=', 'authority') : q.where((eb) => eb.or([eb('id', 'in', configured), eb('slug', 'in', configured)]));
  return (await q.orderBy('id').execute()).map((r) => r.id);
}
