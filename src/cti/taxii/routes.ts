import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../kernel/auth/principal.js';
import { Problem, actorFor, principalOf } from '../../kernel/http/index.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { CtiService } from '../service.js';
import { type StoredRow, selectObjects } from '../store/queries.js';
import { servedObject, taxiiVersion } from '../store/rows.js';
import { type CollectionRef, collectionScope, collectionSharing, collectionsFor } from './collections.js';
import { decodeCursor, encodeCursor, filtersDigest, type CursorBinding } from './cursor.js';
import { TAXII_MEDIA_TYPE, checkTaxiiContentType, negotiateTaxii } from './media-type.js';
import { TaxiiQueryError, parseTaxiiQuery, type TaxiiEndpoint, type TaxiiQuery } from './query.js';
import { apiRoot, collection, dateAddedHeaders, manifestRecord, status, taxiiError } from './resources.js';
import { deleteObject, limitedBody, readStatus } from './server-store.js';

/**
 * The TAXII 2.1 server (OASIS Standard, 10 June 2021): discovery at /taxii2/, one API root at /taxii2/api/, and
 * the collection endpoints. Every answer, errors included, is application/taxii+json;version=2.1; errors are
 * TAXII error messages. Authentication is the kernel's (Bearer, or HTTP Basic with a token as the password).
 */
export const API_ROOT_PATH = '/taxii2/api/';
/** Largest body the add-objects endpoint takes (announced as max_content_length). */
export const TAXII_MAX_CONTENT_LENGTH = 256 * 1024 * 1024;

class TaxiiHttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(description ?? title);
  }
}

const notFound = (what: string) => new TaxiiHttpError(404, 'Not Found', what);

export function taxiiRoutes(kernel: Kernel, cti: CtiService): FastifyPluginAsync {
  const db = kernel.store.db;
  return async (app) => {
    app.addContentTypeParser(['application/taxii+json', 'application/stix+json'], (_request, payload, done) => done(null, payload));
    app.addHook('onRequest', async (request) => {
      const negotiated = negotiateTaxii(request.headers.accept);
      if (!negotiated.ok) throw new TaxiiHttpError(406, 'Not Acceptable', negotiated.message);
    });
    app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
    const noEndpoint = (request: { url: string }, reply: Parameters<typeof send>[0]) =>
      send(reply.code(404), taxiiError(404, 'Not Found', `No TAXII endpoint at ${request.url.split('?')[0]} (endpoint paths end with a slash)`));
    app.setNotFoundHandler((request, reply) => void noEndpoint(request, reply));
    // A GET that matches no TAXII route would otherwise reach the web application's catch-all route.
    app.get('/*', async (request, reply) => noEndpoint(request, reply));

    app.get('/', async (request, reply) => {
      principalOf(request);
      return send(reply, { title: 'Vigil TAXII 2.1 server', description: 'Threat intelligence of the city, shared under TLP 2.0', default: API_ROOT_PATH, api_roots: [API_ROOT_PATH] });
    });

    app.get('/api/', async (request, reply) => {
      principalOf(request);
      return send(reply, apiRoot('Vigil', TAXII_MAX_CONTENT_LENGTH, 'The collections of this Vigil: public, community, your organisation and your sharing groups'));
    });

    app.get('/api/collections/', async (request, reply) => {
      const list = await collectionsFor(db, principalOf(request));
      return send(reply, list.length ? { collections: list.map(resource) } : {});
    });

    app.get<{ Params: { id: string } }>('/api/collections/:id/', async (request, reply) => {
      return send(reply, resource(await findCollection(request)));
    });

    app.get<{ Params: { id: string } }>('/api/collections/:id/objects/', async (request, reply) => {
      const c = await findCollection(request);
      const { rows, more, next } = await page(request, c, 'objects');
      return sendPage(reply, rows, `{${[...(more ? ['"more":true'] : []), ...(next ? [`"next":${JSON.stringify(next)}`] : []), ...(rows.length ? [`"objects":[${rows.map(servedObject).join(',')}]`] : [])].join(',')}}`);
    });

    app.get<{ Params: { id: string } }>('/api/collections/:id/manifest/', async (request, reply) => {
      const c = await findCollection(request);
      const { rows, more, next } = await page(request, c, 'manifest');
      const objects = rows.map((r) => manifestRecord(r.stix_id, r.date_added, taxiiVersion(r.version, r.date_added)));
      return sendPage(reply, rows, JSON.stringify({ ...(more ? { more: true } : {}), ...(next ? { next } : {}), ...(objects.length ? { objects } : {}) }));
    });

    app.get<{ Params: { id: string; objectId: string } }>('/api/collections/:id/objects/:objectId/', async (request, reply) => {
      const c = await findCollection(request);
      const { rows, more, next } = await page(request, c, 'object', request.params.objectId);
      if (rows.length === 0) await requireObject(c, request.params.objectId, principalOf(request));
      return sendPage(reply, rows, `{${[...(more ? ['"more":true'] : []), ...(next ? [`"next":${JSON.stringify(next)}`] : []), ...(rows.length ? [`"objects":[${rows.map(servedObject).join(',')}]`] : [])].join(',')}}`);
    });

    app.get<{ Params: { id: string; objectId: string } }>('/api/collections/:id/objects/:objectId/versions/', async (request, reply) => {
      const c = await findCollection(request);
      const { rows, more, next } = await page(request, c, 'versions', request.params.objectId);
      if (rows.length === 0) await requireObject(c, request.params.objectId, principalOf(request));
      const versions = rows.map((r) => taxiiVersion(r.version, r.date_added));
      return sendPage(reply, rows, JSON.stringify({ ...(more ? { more: true } : {}), ...(next ? { next } : {}), ...(versions.length ? { versions } : {}) }));
    });

    app.delete<{ Params: { id: string; objectId: string } }>('/api/collections/:id/objects/:objectId/', async (request, reply) => {
      const principal = principalOf(request);
      const c = await findCollection(request);
      if (!c.canWrite) throw new TaxiiHttpError(403, 'Forbidden', 'Your role may not change threat intelligence');
      const query = parseQuery(request, 'object');
      if (query.addedAfter || query.next || request.url.includes('limit=')) throw new TaxiiHttpError(400, 'Bad Request', 'Delete takes only match[version] and match[spec_version]');
      await requireObject(c, request.params.objectId, principal);
      const explicit = new URLSearchParams(request.url.split('?')[1] ?? '').has('match[version]');
      const outcome = await deleteObject(kernel, actorFor(request), principal, c, request.params.objectId, { ...query, versions: explicit ? query.versions : [{ kind: 'all' }] });
      if (outcome.others > 0 && outcome.deleted === 0) throw new TaxiiHttpError(403, 'Forbidden', 'Only the organisation that holds an object may delete it');
      cti.afterDelete(outcome.rowIds);
      return send(reply, {});
    });

    app.post<{ Params: { id: string } }>('/api/collections/:id/objects/', async (request, reply) => {
      const principal = principalOf(request);
      const c = await findCollection(request);
      const contentType = checkTaxiiContentType(request.headers['content-type']);
      if (!contentType.ok) throw new TaxiiHttpError(415, 'Unsupported Media Type', contentType.message);
      if (!c.canWrite) throw new TaxiiHttpError(403, 'Forbidden', 'Your role may not add threat intelligence');
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > TAXII_MAX_CONTENT_LENGTH) throw new TaxiiHttpError(413, 'Payload Too Large', `The largest body accepted is ${TAXII_MAX_CONTENT_LENGTH} bytes`);
      const sharing = collectionSharing(c);
      const result = await cti.importStix(limitedBody(request.body as NodeJS.ReadableStream, TAXII_MAX_CONTENT_LENGTH, () => new TaxiiHttpError(413, 'Payload Too Large', `The largest body accepted is ${TAXII_MAX_CONTENT_LENGTH} bytes`)), {
        ownerOrgId: principal.orgId,
        actor: actorFor(request),
        viewer: principal,
        source: 'taxii',
        defaultTlp: sharing.defaultTlp,
        distribution: sharing.distribution,
        partial: true,
        strictScope: true,
        collectionId: c.id,
      });
      if (result.status === 'rejected') throw new TaxiiHttpError(422, 'Unprocessable Entity', result.reason, { status_id: result.id });
      const requestedAt = kernel.clock() * 1000;
      const resource = status(result.id, requestedAt, result.successes ?? [], result.failures, []);
      // Counts stay exact when the lists are too long to give.
      const body = { ...resource, total_count: result.total, success_count: result.stored + result.duplicates, failure_count: result.failureCount };
      return send(reply.code(202), body);
    });

    app.get<{ Params: { statusId: string } }>('/api/status/:statusId/', async (request, reply) => {
      const principal = principalOf(request);
      const found = await readStatus(db, principal, request.params.statusId);
      if (!found) throw notFound('No status with this id is available to you');
      return send(reply, found);
    });
  };

  async function findCollection(request: FastifyRequest): Promise<CollectionRef> {
    const id = (request.params as { id: string }).id;
    const list = await collectionsFor(db, principalOf(request));
    const found = list.find((c) => c.id === id || c.alias === id);
    if (!found) throw notFound('No such collection, or it is not one you can see');
    return found;
  }

  function parseQuery(request: FastifyRequest, endpoint: TaxiiEndpoint): TaxiiQuery {
    return parseTaxiiQuery(new URLSearchParams(request.url.split('?')[1] ?? ''), endpoint);
  }

  async function page(request: FastifyRequest, c: CollectionRef, endpoint: TaxiiEndpoint, objectId?: string): Promise<{ rows: StoredRow[]; more: boolean; next?: string }> {
    const principal = principalOf(request);
    const query = parseQuery(request, endpoint);
    const binding: CursorBinding = {
      collection: c.id,
      principal: principal.userId ?? principal.tokenId ?? '',
      organisation: principal.orgId,
      filters: filtersDigest(query, endpoint, objectId),
    };
    const secret = await cti.secret();
    const now = kernel.clock();
    const after = query.next ? decodeCursor(query.next, binding, secret, now) : undefined;
    const { rows, more } = await selectObjects(db, {
      scope: collectionScope(c, principal),
      ...(objectId ? { ids: [objectId] } : query.ids ? { ids: query.ids } : {}),
      ...(query.types ? { types: query.types } : {}),
      ...(query.specVersions ? { specVersions: query.specVersions } : {}),
      versions: query.versions,
      ...(query.addedAfter ? { addedAfter: query.addedAfter.micros } : {}),
      ...(after ? { afterSeq: after.sequence } : {}),
      limit: query.limit,
      withoutObject: endpoint === 'manifest' || endpoint === 'versions',
    });
    const last = rows[rows.length - 1];
    const next = more && last ? encodeCursor(binding, { dateAdded: last.date_added, sequence: last.seq }, secret, now) : undefined;
    return { rows, more, ...(next ? { next } : {}) };
  }

  async function requireObject(c: CollectionRef, objectId: string, principal: Principal): Promise<void> {
    const { rows } = await selectObjects(db, { scope: collectionScope(c, principal), ids: [objectId], versions: [{ kind: 'all' }], limit: 1, withoutObject: true });
    if (rows.length === 0) throw notFound('No such object in this collection');
  }
}

function resource(c: CollectionRef) {
  return collection({ id: c.id, title: c.title, description: c.description, alias: c.alias, can_read: c.canRead, can_write: c.canWrite });
}

/** Sent as bytes, so the media type goes out exactly as TAXII writes it (no charset parameter added). */
function send(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.header('content-type', TAXII_MEDIA_TYPE).send(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'));
}

function sendPage(reply: FastifyReply, rows: StoredRow[], body: string): FastifyReply {
  const headers = dateAddedHeaders(rows[0]?.date_added, rows[rows.length - 1]?.date_added);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  return send(reply, body);
}

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  let status = 500;
  let title = 'Internal Server Error';
  let description = 'Something went wrong on the server; it has been logged';
  let details: Record<string, unknown> | undefined;
  if (error instanceof TaxiiHttpError) {
    ({ status, title } = error);
    description = error.description ?? title;
    details = error.details;
  } else if (error instanceof TaxiiQueryError) {
    status = 400;
    title = 'Bad Request';
    description = error.message;
    details = { parameter: error.parameter };
  } else if (error instanceof Problem) {
    status = error.status;
    title = error.title;
    description = error.detail;
  } else {
    const e = error as { statusCode?: number; code?: string; message?: string };
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      status = 415;
      title = 'Unsupported Media Type';
      description = `send ${TAXII_MEDIA_TYPE}`;
    } else if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      status = e.statusCode;
      title = 'Bad Request';
      description = e.message ?? title;
    }
  }
  if (status >= 500) request.log.error({ err: error }, 'TAXII request failed');
  if (status === 401) reply.header('WWW-Authenticate', 'Basic realm="Vigil TAXII", charset="UTF-8"');
  void send(reply.code(status), taxiiError(status, title, description, details));
}

