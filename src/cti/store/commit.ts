import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { type Queryable, type Tx, lockLogOrder } from '../../kernel/db/connection.js';
import type { Kernel, Write } from '../../kernel/kernel.js';
import type { Distribution, Tlp } from '../../kernel/sharing/policy.js';
import { encodeOrgList } from '../../kernel/sharing/store.js';
import { tlpOfMarkingDefinition } from '../stix/markings.js';
import type { BundleReport } from '../stix/bundle.js';
import type { StatusDetails } from '../taxii/resources.js';
import type { ImportRequest } from './import.js';
import { boundedDistribution, labelOf, objectFacts } from './rows.js';

/**
 * The commit of an import: one transaction that moves the staged rows into the store, giving each its seq and
 * date_added. The counter row is updated first, so committers queue behind one another and the values they
 * hand out grow in commit order — a reader that has seen seq N will never later find a row below N committed
 * (the TAXII keyset contract). date_added grows by one microsecond per row, never behind the clock, so
 * `added_after` paging is exact as well (no two rows share a date_added).
 */
export interface CommitInput {
  id: string;
  request: ImportRequest;
  requestedAt: number;
  total: number;
  invalid: number;
  narrowed: number;
  successes: StatusDetails[];
  failures: StatusDetails[];
  report: BundleReport & { truncated: boolean };
}

export interface CommitOutcome {
  stored: number;
  duplicates: number;
  seqFrom: number;
  seqTo: number;
}

/** Takes the commit-order position: call first in any transaction that adds rows to stix_objects. */
export async function takeCommitOrder(tx: Tx, engine: Kernel['engine']): Promise<{ lastSeq: number; lastDateAdded: number }> {
  // The event log's lock first (every writer takes it in that order), then the counter row.
  await lockLogOrder(tx, engine);
  await tx.updateTable('stix_counter').set({ last_seq: sql`last_seq` }).where('id', '=', 1).execute();
  const row = await tx.selectFrom('stix_counter').select(['last_seq', 'last_date_added']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { lastSeq: Number(row.last_seq), lastDateAdded: Number(row.last_date_added) };
}

export async function advanceCommitOrder(tx: Tx, lastSeq: number, lastDateAdded: number): Promise<void> {
  await tx.updateTable('stix_counter').set({ last_seq: lastSeq, last_date_added: lastDateAdded }).where('id', '=', 1).execute();
}

export async function commitImport(kernel: Kernel, input: CommitInput): Promise<CommitOutcome> {
  const { request } = input;
  return kernel.write(request.actor, async (w) => {
    const { lastSeq, lastDateAdded } = await takeCommitOrder(w.tx, kernel.engine);
    const staged = Number(
      (await w.tx.selectFrom('stix_import_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('import_id', '=', input.id).executeTakeFirstOrThrow()).n,
    );
    const seqBase = lastSeq + 1;
    const dateBase = Math.max(w.now * 1000, lastDateAdded + 1);
    if (staged > 0) {
      // `where true` on the outer select: SQLite needs it to read ON CONFLICT after INSERT … SELECT.
      await sql`
        insert into stix_objects (seq, id, stix_id, type, version, version_micros, spec_version, date_added, owner_org_id, tlp,
          dist_scope, dist_group_id, dist_orgs, marked_tlp, revoked, import_id, object, created_at)
        select cast(${seqBase} as bigint) + r.k, r.row_id, r.stix_id, r.type, r.version, r.version_micros, r.spec_version, cast(${dateBase} as bigint) + r.k,
          cast(${request.ownerOrgId} as text), r.tlp, r.dist_scope, r.dist_group_id, r.dist_orgs, r.marked_tlp, r.revoked, r.import_id, r.object,
          cast(${w.now} as bigint)
        from (select s.*, row_number() over (order by s.n) - 1 as k from stix_import_rows s where s.import_id = ${input.id}) r
        where true
        on conflict (owner_org_id, stix_id, version) do nothing`.execute(w.tx);
      await advanceCommitOrder(w.tx, seqBase + staged - 1, dateBase + staged - 1);
    }
    const stored = staged === 0 ? 0 : await countRange(w.tx, seqBase, seqBase + staged - 1);
    await w.tx.deleteFrom('stix_import_rows').where('import_id', '=', input.id).execute();
    const outcome: CommitOutcome = { stored, duplicates: staged - stored, seqFrom: seqBase, seqTo: seqBase + staged - 1 };
    await recordImport(w.tx, { ...input, finishedAt: w.now * 1000, status: 'complete', stored, duplicates: outcome.duplicates });
    const labels = await labelCounts(w.tx, seqBase, seqBase + staged - 1);
    await w.emit({
      type: 'stix.imported',
      recordKind: 'stix-import',
      recordId: input.id,
      actorOrgId: w.actor.orgId,
      audience: { ownerOrgId: request.ownerOrgId, distribution: { scope: 'owner' } },
      data: { id: input.id, source: request.source, total: input.total, stored, duplicates: outcome.duplicates, invalid: input.invalid, labels },
    });
    await w.audit({
      action: 'stix.import',
      targetKind: 'stix-import',
      targetId: input.id,
      orgId: request.ownerOrgId,
      details: { source: request.source, total: input.total, stored, duplicates: outcome.duplicates, invalid: input.invalid, narrowed: input.narrowed, labels },
    });
    await request.inCommit?.(w, outcome);
    return outcome;
  });
}

async function countRange(db: Queryable, from: number, to: number): Promise<number> {
  const row = await db.selectFrom('stix_objects').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', '>=', from).where('seq', '<=', to).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function labelCounts(db: Queryable, from: number, to: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('stix_objects')
    .select(['tlp', (eb) => eb.fn.countAll<number>().as('n')])
    .where('seq', '>=', from)
    .where('seq', '<=', to)
    .groupBy('tlp')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.tlp, Number(r.n)]));
}

export async function recordImport(
  db: Queryable,
  input: Omit<CommitInput, 'successes'> & { successes: StatusDetails[]; finishedAt: number; status: 'complete' | 'rejected'; stored: number; duplicates: number },
): Promise<void> {
  const { request } = input;
  await db
    .insertInto('stix_imports')
    .values({
      id: input.id,
      owner_org_id: request.ownerOrgId,
      actor_user_id: request.actor.userId,
      actor_token_id: request.actor.tokenId,
      source: request.source,
      collection_id: request.collectionId ?? null,
      requested_at: input.requestedAt,
      finished_at: input.finishedAt,
      status: input.status,
      total: input.total,
      stored: input.stored,
      duplicates: input.duplicates,
      invalid: input.invalid,
      narrowed: input.narrowed,
      successes: JSON.stringify(input.successes),
      failures: JSON.stringify(input.failures),
      report: JSON.stringify(input.report),
    })
    .execute();
}

/**
 * Objects Vigil makes itself (sightings of matched indicators, alerts and incidents published as STIX), added
 * inside the caller's write: same commit order, same label rules as an import, no staging (they are few).
 */
export async function insertOwnObjects(
  w: Write,
  engine: Kernel['engine'],
  input: { ownerOrgId: string; objects: ReadonlyArray<Record<string, unknown>>; tlp: Tlp; distribution: Distribution; source: string },
): Promise<{ stored: number; seqFrom: number; seqTo: number }> {
  if (input.objects.length === 0) return { stored: 0, seqFrom: 0, seqTo: -1 };
  const { lastSeq, lastDateAdded } = await takeCommitOrder(w.tx, engine);
  const importId = randomUUID();
  const dateBase = Math.max(w.now * 1000, lastDateAdded + 1);
  const rows = input.objects.map((object, i) => {
    const facts = objectFacts(object);
    const label = facts.type === 'marking-definition' && tlpOfMarkingDefinition(object) ? 'clear' : (labelOf(facts, () => undefined) ?? null);
    const tlp = label ?? input.tlp;
    const { distribution: d } = boundedDistribution(tlp, input.distribution);
    return {
      seq: lastSeq + 1 + i,
      id: randomUUID(),
      stix_id: facts.stixId,
      type: facts.type,
      version: facts.version,
      version_micros: facts.versionMicros,
      spec_version: facts.specVersion,
      date_added: dateBase + i,
      owner_org_id: input.ownerOrgId,
      tlp,
      dist_scope: d.scope,
      dist_group_id: d.scope === 'group' ? d.groupId : null,
      dist_orgs: d.scope === 'orgs' ? encodeOrgList(d.orgIds) : null,
      marked_tlp: label,
      revoked: facts.revoked ? 1 : 0,
      import_id: importId,
      object: JSON.stringify(object),
      created_at: w.now,
    };
  });
  const inserted = await w.tx
    .insertInto('stix_objects')
    .values(rows)
    .onConflict((oc) => oc.columns(['owner_org_id', 'stix_id', 'version']).doNothing())
    .returning('id')
    .execute();
  const ids = new Set(inserted.map((r) => r.id));
  await advanceCommitOrder(w.tx, lastSeq + rows.length, dateBase + rows.length - 1);
  void input.source;
  return { stored: ids.size, seqFrom: lastSeq + 1, seqTo: lastSeq + rows.length };
}
