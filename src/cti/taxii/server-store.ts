import type { Principal } from '../../kernel/auth/principal.js';
import type { Queryable } from '../../kernel/db/connection.js';
import type { Actor, Kernel } from '../../kernel/kernel.js';
import { selectObjects } from '../store/queries.js';
import { type CollectionRef, collectionScope } from './collections.js';
import type { TaxiiQuery } from './query.js';
import { type Status, type StatusDetails, status } from './resources.js';

/** The TAXII server's reads and writes beyond object pages: deleting an object, reading a status. */
export async function deleteObject(
  kernel: Kernel,
  actor: Actor,
  principal: Principal,
  c: CollectionRef,
  objectId: string,
  query: TaxiiQuery,
): Promise<{ deleted: number; others: number; rowIds: string[] }> {
  const versions = query.versions;
  const { rows } = await selectObjects(kernel.store.db, {
    scope: collectionScope(c, principal),
    ids: [objectId],
    ...(query.specVersions ? { specVersions: query.specVersions } : {}),
    versions,
    limit: 100_000,
    withoutObject: true,
  });
  const micros = [...new Set(rows.map((r) => r.version_micros))];
  if (micros.length === 0) return { deleted: 0, others: 0, rowIds: [] };
  return kernel.write(actor, async (w) => {
    const scope = collectionScope(c, principal);
    const candidates = await w.tx
      .selectFrom('stix_objects as o')
      .select(['o.id', 'o.owner_org_id', 'o.version'])
      .where('o.stix_id', '=', objectId)
      .where('o.version_micros', 'in', micros)
      .where(scope('o'))
      .execute();
    const mine = candidates.filter((r) => r.owner_org_id === principal.orgId);
    const rowIds = mine.map((r) => r.id);
    if (rowIds.length > 0) {
      await w.tx.deleteFrom('stix_objects').where('id', 'in', rowIds).execute();
      await w.emit({
        type: 'stix.deleted',
        recordKind: 'stix-object',
        recordId: objectId,
        actorOrgId: w.actor.orgId,
        audience: { ownerOrgId: principal.orgId, distribution: { scope: 'owner' } },
        data: { stixId: objectId, versions: mine.map((r) => r.version), rowIds },
      });
      await w.audit({ action: 'stix.delete', targetKind: 'stix-object', targetId: objectId, details: { versions: mine.map((r) => r.version), collection: c.id } });
    }
    return { deleted: rowIds.length, others: candidates.length - mine.length, rowIds };
  });
}

/** A status resource the caller's organisation owns (its own TAXII add-objects requests and imports). */
export async function readStatus(db: Queryable, principal: Principal, id: string): Promise<Status | null> {
  const row = await db.selectFrom('stix_imports').selectAll().where('id', '=', id).where('owner_org_id', '=', principal.orgId).executeTakeFirst();
  if (!row) return null;
  const successes = JSON.parse(row.successes) as StatusDetails[];
  const failures = JSON.parse(row.failures) as StatusDetails[];
  const resource = status(row.id, Number(row.requested_at), row.status === 'rejected' ? [] : successes, failures, []);
  return {
    ...resource,
    total_count: row.total,
    success_count: row.status === 'rejected' ? 0 : row.stored + row.duplicates,
    failure_count: row.status === 'rejected' ? row.total : row.total - row.stored - row.duplicates,
  };
}

/** A request body read with a byte limit: past it, `tooLarge()` is thrown and the rest is not read. */
export async function* limitedBody(stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>, limit: number, tooLarge: () => Error): AsyncGenerator<Uint8Array | string> {
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (bytes > limit) {
      (stream as { destroy?: () => void }).destroy?.();
      throw tooLarge();
    }
    yield chunk;
  }
}
