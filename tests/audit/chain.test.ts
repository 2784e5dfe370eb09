import { describe, expect, it } from 'vitest';
import { type AuditEntry, GENESIS_HASH, entryHash, verifyBatch } from '../../src/kernel/audit/chain.js';

function chain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const base = { seq, at: 1000 + seq, orgId: 'o', actorUserId: 'u', actorTokenId: null, address: '127.0.0.1', action: 'alert.create', targetKind: 'alert', targetId: `a${seq}`, details: '{}', prevHash: prev };
    const e = { ...base, hash: entryHash(base) };
    entries.push(e);
    prev = e.hash;
  }
  return entries;
}

const start = { seq: 0, hash: GENESIS_HASH };

describe('audit hash chain', () => {
  it('accepts an untouched chain', () => {
    expect(verifyBatch(chain(10), start, 10)).toBeNull();
  });

  it('finds an edited entry', () => {
    const c = chain(10);
    c[4] = { ...c[4]!, details: '{"tampered":true}' };
    expect(verifyBatch(c, start, 10)).toMatchObject({ kind: 'edited', seq: 5 });
  });

  it('finds a deleted entry', () => {
    const c = chain(10);
    c.splice(6, 1);
    expect(verifyBatch(c, start, 10)).toMatchObject({ kind: 'deleted', seq: 7 });
  });

  it('finds an entry inserted and re-hashed in the middle', () => {
    const c = chain(10);
    const forged = { ...c[3]!, targetId: 'forged', prevHash: 'f'.repeat(64) };
    c[3] = { ...forged, hash: entryHash(forged) };
    expect(verifyBatch(c, start, 10)).toMatchObject({ kind: 'inserted', seq: 4 });
  });

  it('finds an entry appended beyond the head', () => {
    const c = chain(11);
    expect(verifyBatch(c, start, 10)).toMatchObject({ kind: 'inserted', seq: 11 });
  });

  it('continues across batches', () => {
    const c = chain(10);
    expect(verifyBatch(c.slice(5), { seq: 5, hash: c[4]!.hash }, 10)).toBeNull();
    expect(verifyBatch(c.slice(5), { seq: 5, hash: 'x' }, 10)).toMatchObject({ seq: 6 });
  });
});
