import { createHash } from 'node:crypto';

/**
 * The audit log is a hash chain: each entry carries the hash of the one before, and its own hash covers
 * its content and that link. Editing, deleting or inserting an entry breaks the chain at that point;
 * a separate head (newest seq and hash) catches a deleted or appended tail.
 */
export interface AuditEntry {
  seq: number;
  at: number;
  orgId: string | null;
  actorUserId: string | null;
  actorTokenId: string | null;
  address: string | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  /** JSON text, exactly as stored. */
  details: string;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.at,
    entry.orgId,
    entry.actorUserId,
    entry.actorTokenId,
    entry.address,
    entry.action,
    entry.targetKind,
    entry.targetId,
    entry.details,
    entry.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type ChainProblem =
  | { kind: 'edited'; seq: number; message: string }
  | { kind: 'deleted'; seq: number; message: string }
  | { kind: 'inserted'; seq: number; message: string };

/**
 * Checks entries in seq order, continuing from `previous` (the last good entry of an earlier batch).
 * Returns the first problem, or null.
 */
export function verifyBatch(
  entries: readonly AuditEntry[],
  previous: { seq: number; hash: string },
  headSeq: number,
): ChainProblem | null {
  let expectedSeq = previous.seq + 1;
  let prevHash = previous.hash;
  for (const entry of entries) {
    if (entry.seq > headSeq) {
      return { kind: 'inserted', seq: entry.seq, message: `entry ${entry.seq} lies beyond the recorded head (${headSeq}): it was inserted` };
    }
    if (entry.seq !== expectedSeq) {
      const missing = entry.seq - 1 === expectedSeq ? `${expectedSeq}` : `${expectedSeq}-${entry.seq - 1}`;
      return { kind: 'deleted', seq: expectedSeq, message: `entry ${missing} is missing: deleted` };
    }
    if (entry.prevHash !== prevHash) {
      return {
        kind: entryHash(entry) === entry.hash ? 'inserted' : 'edited',
        seq: entry.seq,
        message: `entry ${entry.seq} does not link to entry ${entry.seq - 1}: the chain was altered here (an entry inserted or replaced)`,
      };
    }
    if (entryHash(entry) !== entry.hash) {
      return { kind: 'edited', seq: entry.seq, message: `entry ${entry.seq} does not match its hash: it was edited` };
    }
    expectedSeq++;
    prevHash = entry.hash;
  }
  return null;
}
