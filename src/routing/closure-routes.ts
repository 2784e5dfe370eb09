import type { FastifyPluginAsync } from 'fastify';
import { getIncident } from '../incidents/index.js';
import { type Geometry, geometryProblem } from '../kernel/geo.js';
import {
  type VigilApp,
  actorFor,
  asPage,
  badRequest,
  commonListQuery,
  conflict,
  forbidden,
  initialSharing,
  notFound,
  principalOf,
  requirePermission,
  shareRoute,
  unprocessable,
} from '../kernel/http/index.js';
import { CountSchema, IdParams, PageOf } from '../kernel/http/schemas.js';
import { newId } from '../kernel/ids.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Viewer } from '../kernel/sharing/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import { type ClosureFilters, type ClosureRecord, countClosures, endClosure, getClosure, insertClosure, listClosures } from './closure-queries.js';
import { closureFromGeometry, type ClosureGeometry } from './closures.js';
import { routingProblem } from './http.js';
import type { LiveRoads } from './live-roads.js';
import * as S from './schemas.js';

/**
 * Road closures as shared records: drawn by an operator or taken from an incident's area, with a start and an
 * end, honoured by the routes of everyone who may see them from the moment they are stored.
 */
export function closureRoutes(kernel: Kernel, roads: LiveRoads): FastifyPluginAsync {
  const db = kernel.store.db;
  const withRoads = (c: ClosureRecord) => ({ ...c, roadsClosed: c.status === 'ended' ? 0 : roads.closedRoadCount(c.id) });
  const load = async (q: Queryable, viewer: Viewer, id: string) => {
    const c = await getClosure(q, viewer, id, kernel.clock());
    return c ? withRoads(c) : null;
  };

  return async (plain) => {
    const app = plain as VigilApp;

    async function filtersOf(query: { limit?: number; cursor?: string; bbox?: string; owner?: string; q?: string; status?: ClosureFilters['status']; incident?: string }) {
      const common = await commonListQuery(db, query);
      const filters: ClosureFilters = {};
      if (query.status) filters.status = query.status;
      if (query.incident) filters.incidentId = query.incident;
      if (common.owner) filters.owner = common.owner;
      if (common.bbox) filters.bbox = common.bbox;
      if (common.q) filters.q = common.q;
      return { common, filters };
    }

    app.get(
      '/closures',
      { schema: { tags: ['closures'], summary: 'Road closures you may see, newest first (status: scheduled, active, ended)', querystring: S.ClosureQuery, response: { 200: PageOf(S.Closure) } } },
      async (request) => {
        const { common, filters } = await filtersOf(request.query);
        const page = asPage(await listClosures(db, principalOf(request), filters, kernel.clock(), common.limit, common.cursor));
        return { ...page, items: page.items.map(withRoads) };
      },
    );

    app.get(
      '/closures/count',
      { schema: { tags: ['closures'], summary: 'How many road closures you may see match the filters', querystring: S.ClosureQuery, response: { 200: CountSchema } } },
      async (request) => {
        const { filters } = await filtersOf(request.query);
        return { count: await countClosures(db, principalOf(request), filters, kernel.clock()) };
      },
    );

    app.get('/closures/:id', { schema: { tags: ['closures'], summary: 'One road closure', params: IdParams, response: { 200: S.Closure } } }, async (request) => {
      const closure = await load(db, principalOf(request), request.params.id);
      if (!closure) throw notFound('closure', request.params.id);
      return closure;
    });

    app.get(
      '/closures/:id/roads',
      { schema: { tags: ['closures'], summary: 'The roads a closure closes on the graph in service, as a GeoJSON MultiLineString feature', params: IdParams, response: { 200: S.ClosedRoads } } },
      async (request) => {
        const closure = await getClosure(db, principalOf(request), request.params.id, kernel.clock());
        if (!closure) throw notFound('closure', request.params.id);
        try {
          const router = await roads.router();
          const geometry = (closure.status !== 'ended' && router.closedRoads(closure.id)) || { type: 'MultiLineString' as const, coordinates: [] };
          return { type: 'Feature' as const, geometry, properties: { closureId: closure.id, roads: geometry.coordinates.length, status: closure.status } };
        } catch (error) {
          return routingProblem(error);
        }
      },
    );

    app.post(
      '/closures',
      {
        schema: {
          tags: ['closures'],
          summary: 'Close roads: a GeoJSON area, line(s) or point(s), or the area of an incident; honoured by every route of those who may see it',
          body: S.NewClosure,
          response: { 201: S.Closure },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const body = request.body;
        const now = kernel.clock();
        let geometry = (body.geometry as Geometry | undefined) ?? null;
        if (body.incidentId) {
          const incident = await getIncident(db, principal, body.incidentId);
          if (!incident) throw unprocessable(`No incident with id ${body.incidentId} exists`);
          geometry ??= incident.location;
          if (!geometry) throw unprocessable('The incident has no location: draw the closure (geometry) instead');
        }
        if (!geometry) throw badRequest('Give the closure a geometry (an area, line or point) or the incidentId of an incident with a location');
        const problem = geometryProblem(geometry);
        if (problem) throw badRequest(`Invalid GeoJSON geometry: ${problem}`);
        const startsAt = body.startsAt ? Date.parse(body.startsAt) : now;
        const endsAt = body.endsAt ? Date.parse(body.endsAt) : null;
        if (endsAt !== null && endsAt <= startsAt) throw badRequest('endsAt must be after startsAt');
        if (endsAt !== null && endsAt <= now) throw badRequest('endsAt is in the past: this closure would already be over');
        const id = newId(now);
        const closure = closureFromGeometry(id, geometry as ClosureGeometry, startsAt, endsAt);
        let roadsClosed: number | null;
        try {
          roadsClosed = roads.check(closure);
        } catch (error) {
          return routingProblem(error);
        }
        const sharing = await initialSharing(db, principal, body);
        const record = await kernel.write(actorFor(request), (w) =>
          insertClosure(w, principal, { id, reason: body.reason, geometry, startsAt, endsAt, incidentId: body.incidentId ?? null }, sharing, roadsClosed),
        );
        // After the commit: from here on, every query of those who may see it honours it.
        roads.setClosure(closure);
        return reply.code(201).send(withRoads(record));
      },
    );

    app.post(
      '/closures/:id/end',
      { schema: { tags: ['closures'], summary: 'End a closure of your organisation now (the roads open again for every route)', params: IdParams, body: S.EndClosure, response: { 200: S.Closure } } },
      async (request) => {
        const principal = requirePermission(request, 'records:write');
        const ended = await kernel.write(actorFor(request), async (w) => {
          const current = await getClosure(w.tx, principal, request.params.id, w.now);
          if (!current) throw notFound('closure', request.params.id);
          if (current.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may end this closure');
          if (current.status === 'ended') throw conflict(`The closure already ended at ${current.endsAt}`);
          return endClosure(w, principal, current, request.body?.note ?? null);
        });
        roads.removeClosure(ended.id);
        return withRoads(ended);
      },
    );

    shareRoute(app, kernel, { kind: 'closure', table: 'road_closures', path: '/closures', response: S.Closure, load });
  };
}
