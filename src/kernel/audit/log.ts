import type { Queryable, Tx } from '../db/connection.js';
import { type AuditEntry, type ChainProblem, GENESIS_HASH, entryHash, verifyBatch } from './chain.js';

export interface NewAuditEntry {
  orgId: string | null;
  actorUserId: string | null;
  actorTokenId: string | null;
  address: string | null;
  action: string;
  targetKind?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** Appends inside the caller's transaction, which holds the log-order lock (kernel write path). */
export async function appendAudit(tx: Tx, entry: NewAuditEntry, now: number): Promise<AuditEntry> {
  const head = await tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  const base = {
    seq: Number(head?.seq ?? 0) + 1,
    at: now,
    orgId: entry.orgId,
    actorUserId: entry.actorUserId,
    actorTokenId: entry.actorTokenId,
    address: entry.address,
    action: entry.action,
    targetKind: entry.targetKind ?? null,
    targetId: entry.targetId ?? null,
    details: JSON.stringify(entry.details ?? {}),
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const full: AuditEntry = { ...base, hash: entryHash(base) };
  await tx
    .insertInto('audit_log')
    .values({
      seq: full.seq,
      at: full.at,
      org_id: full.orgId,
      actor_user_id: full.actorUserId,
      actor_token_id: full.actorTokenId,
      address: full.address,
      action: full.action,
      target_kind: full.targetKind,
      target_id: full.targetId,
      details: full.details,
      prev_hash: full.prevHash,
      hash: full.hash,
    })
    .execute();
  if (head) {
    await tx.updateTable('audit_head').set({ seq: full.seq, hash: full.hash }).where('id', '=', 1).execute();
  } else {
    await tx.insertInto('audit_head').values({ id: 1, seq: full.seq, hash: full.hash }).execute();
  }
  return full;
}

type AuditRow = {
  seq: number;
  at: number;
  org_id: string | null;
  actor_user_id: string | null;
  actor_token_id: string | null;
  address: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
};

export function auditEntryOf(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: Number(row.at),
    orgId: row.org_id,
    actorUserId: row.actor_user_id,
    actorTokenId: row.actor_token_id,
    address: row.address,
    action: row.action,
    targetKind: row.target_kind,
    targetId: row.target_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface AuditVerification {
  entries: number;
  problem: ChainProblem | null;
}

/** Walks the whole chain in batches; reports the first edited, inserted or deleted entry. */
export async function verifyAuditLog(db: Queryable, onProgress?: (checked: number, total: number) => void): Promise<AuditVerification> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  const headSeq = Number(head?.seq ?? 0);
  let previous = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', previous.seq).orderBy('seq').limit(5000).execute();
    if (rows.length === 0) break;
    const entries = rows.map(auditEntryOf);
    const problem = verifyBatch(entries, previous, headSeq);
    if (problem) return { entries: checked, problem };
    const last = entries[entries.length - 1]!;
    previous = { seq: last.seq, hash: last.hash };
    checked += entries.length;
    onProgress?.(checked, headSeq);
  }
  if (previous.seq !== headSeq || (head && previous.hash !== head.hash)) {
    return {
      entries: checked,
      problem: {
        kind: 'deleted',
        seq: previous.seq + 1,
        message: `the log ends at entry ${previous.seq} but its head records entry ${headSeq}: entries from ${previous.seq + 1} were deleted`,
      },
    };
  }
  return { entries: checked, problem: null };
}
