import type { FastifyReply } from 'fastify';
import type { Static, TObject, TSchema } from 'typebox';
import type { Queryable } from '../db/connection.js';
import type { Kernel } from '../kernel.js';
import type { Tlp, Viewer } from '../sharing/index.js';
import type { VigilApp } from './app.js';
import { type Position, type Slice, asPage } from './cursor.js';
import { allPages, sendNdjsonExport } from './export.js';
import { principalOf } from './guard.js';
import { notFound } from './problem.js';
import { CountSchema, IdParams, PageOf } from './schemas.js';
import type { CommonListQuery } from './shared-records.js';

export interface RecordReads<Q extends TSchema, F, R extends { tlp: Tlp }> {
  /** The record kind in the singular, as problems and exports name it (`unit`). */
  kind: string;
  /** The kind in the plural, as summaries say it (`units`). */
  plural: string;
  /** `/units`. */
  path: string;
  tag: string;
  query: Q;
  record: TObject;
  filtersOf: (query: Static<Q>) => Promise<{ common: CommonListQuery; filters: F }>;
  list: (db: Queryable, viewer: Viewer, filters: F, limit: number, cursor: Position | null) => Promise<Slice<R>>;
  count: (db: Queryable, viewer: Viewer, filters: F) => Promise<number>;
  load: (db: Queryable, viewer: Viewer, id: string) => Promise<R | null>;
}

/**
 * Registers the read side every kind of shared record offers — a page, a count, an NDJSON export and one
 * record, each under the caller's rights — so every kind pages, counts and exports the same way.
 */
export function recordReadRoutes<Q extends TSchema, F, R extends { tlp: Tlp }>(app: VigilApp, kernel: Kernel, o: RecordReads<Q, F, R>): void {
  const db = kernel.store.db;
  const Plural = o.plural[0]!.toUpperCase() + o.plural.slice(1);

  app.get(o.path, { schema: { tags: [o.tag], summary: `${Plural} you may see, newest first`, querystring: o.query, response: { 200: PageOf(o.record) } } }, async (request) => {
    const { common, filters } = await o.filtersOf(request.query as Static<Q>);
    return asPage(await o.list(db, principalOf(request), filters, common.limit, common.cursor));
  });

  app.get(`${o.path}/count`, { schema: { tags: [o.tag], summary: `How many ${o.plural} you may see match the filters`, querystring: o.query, response: { 200: CountSchema } } }, async (request) => {
    const { filters } = await o.filtersOf(request.query as Static<Q>);
    return { count: await o.count(db, principalOf(request), filters) };
  });

  app.get(`${o.path}/export`, { schema: { tags: [o.tag], summary: `Every ${o.kind} you may see that matches, as NDJSON`, querystring: o.query } }, async (request, reply: FastifyReply) => {
    const viewer = principalOf(request);
    const { filters } = await o.filtersOf(request.query as Static<Q>);
    return sendNdjsonExport(kernel, request, reply, o.kind, allPages((cursor) => o.list(db, viewer, filters, 1000, cursor)));
  });

  app.get(`${o.path}/:id`, { schema: { tags: [o.tag], summary: `One ${o.kind}`, params: IdParams, response: { 200: o.record } } }, async (request) => {
    const id = (request.params as { id: string }).id;
    const record = await o.load(db, principalOf(request), id);
    if (!record) throw notFound(o.kind, id);
    return record;
  });
}
