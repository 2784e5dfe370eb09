import { isAfter, type PagePosition } from './cursor.js';
import type { TaxiiQuery } from './query.js';

/**
 * The reference semantics of a TAXII 2.1 object query, over records in memory. The store's SQL must return the
 * same pages; tests compare the two. Order of filtering: id/type, then spec_version (default: each object's
 * latest), then match[version] among what is left of each object's versions, then added_after, then the page.
 */
export interface CollectionRecord {
  id: string;
  type: string;
  /** modified, else created, else date_added (SCOs have neither), as the TAXII version of the object. */
  version: string;
  versionMicros: number;
  specVersion: string;
  /** When this collection received this version (microseconds). */
  dateAdded: number;
  /** Insertion order, strictly increasing in commit order. */
  sequence: number;
}

export interface Page<R extends CollectionRecord> {
  records: R[];
  more: boolean;
  /** Position after the last record, for the next token (when `more`). */
  last?: PagePosition;
  /** For X-TAXII-Date-Added-First / -Last. */
  dateAddedFirst?: number;
  dateAddedLast?: number;
}

export function selectPage<R extends CollectionRecord>(
  records: readonly R[],
  query: TaxiiQuery,
  after?: PagePosition,
): Page<R> {
  const ids = query.ids ? new Set(query.ids) : undefined;
  const types = query.types ? new Set(query.types) : undefined;
  const byId = new Map<string, R[]>();
  for (const r of records) {
    if (ids && !ids.has(r.id)) continue;
    if (types && !types.has(r.type)) continue;
    const list = byId.get(r.id);
    if (list) list.push(r);
    else byId.set(r.id, [r]);
  }
  const selected: R[] = [];
  for (const versions of byId.values()) {
    let pool = versions;
    if (query.specVersions) {
      const wanted = new Set(query.specVersions);
      pool = pool.filter((r) => wanted.has(r.specVersion));
    } else {
      const latest = pool.reduce((m, r) => (compareSpec(r.specVersion, m) > 0 ? r.specVersion : m), pool[0]!.specVersion);
      pool = pool.filter((r) => r.specVersion === latest);
    }
    if (pool.length === 0) continue;
    const chosen = new Set<R>();
    for (const v of query.versions) {
      if (v.kind === 'all') pool.forEach((r) => chosen.add(r));
      else if (v.kind === 'first') chosen.add(pool.reduce((a, b) => (b.versionMicros < a.versionMicros ? b : a)));
      else if (v.kind === 'last') chosen.add(pool.reduce((a, b) => (b.versionMicros > a.versionMicros ? b : a)));
      else pool.filter((r) => r.versionMicros === v.micros).forEach((r) => chosen.add(r));
    }
    for (const r of chosen) {
      if (query.addedAfter && !(r.dateAdded > query.addedAfter.micros)) continue;
      if (after && !isAfter(after, r.dateAdded, r.sequence)) continue;
      selected.push(r);
    }
  }
  selected.sort((a, b) => a.dateAdded - b.dateAdded || a.sequence - b.sequence);
  const page = selected.slice(0, query.limit);
  const lastRecord = page[page.length - 1];
  return {
    records: page,
    more: selected.length > page.length,
    last: lastRecord ? { dateAdded: lastRecord.dateAdded, sequence: lastRecord.sequence } : undefined,
    dateAddedFirst: page[0]?.dateAdded,
    dateAddedLast: lastRecord?.dateAdded,
  };
}

function compareSpec(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}
