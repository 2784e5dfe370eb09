import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import { invisibleAssets } from '../assets/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import {
  type VigilApp,
  actorFor,
  badRequest,
  commonListQuery,
  conflict,
  forbidden,
  initialSharing,
  recordReadRoutes,
  notFound,
  principalOf,
  requirePermission,
  shareRoute,
  unprocessable,
} from '../kernel/http/index.js';
import { IdParams } from '../kernel/http/schemas.js';
import type { Kernel } from '../kernel/kernel.js';
import type { LiveRoads } from '../routing/index.js';
import { acceptPositions } from './avl.js';
import { dispatchUnit, recommendUnits, reportStatus } from './dispatching.js';
import { type UnitFilters, defaultProfile } from './model.js';
import { countUnits, getUnit, insertUnit, listUnits, updateUnit } from './queries.js';
import * as S from './schemas.js';

/**
 * Units (fire engines, ambulances, police cars, repair crews): shared records of their organisations with a
 * status and a live position; and dispatch to incidents.
 */
export function unitRoutes(kernel: Kernel, roads: LiveRoads): FastifyPluginAsync {
  const db = kernel.store.db;

  async function filtersOf(query: Static<typeof S.UnitQuery>) {
    const common = await commonListQuery(db, query);
    const filters: UnitFilters = {};
    if (query.type) filters.type = query.type;
    if (query.status) filters.status = query.status;
    if (query.incident) filters.incidentId = query.incident;
    if (common.owner) filters.owner = common.owner;
    if (common.bbox) filters.bbox = common.bbox;
    if (common.q) filters.q = common.q;
    return { common, filters };
  }

  return async (plain) => {
    const app = plain as VigilApp;

    recordReadRoutes(app, kernel, { kind: 'unit', plural: 'units', path: '/units', tag: 'units', query: S.UnitQuery, record: S.Unit, filtersOf, list: listUnits, count: countUnits, load: getUnit });

    app.post('/units', { schema: { tags: ['units'], summary: 'Create a unit of your organisation', body: S.NewUnit, response: { 201: S.Unit } } }, async (request, reply) => {
      const principal = requirePermission(request, 'records:write');
      const body = request.body;
      await checkReferences(db, principal, body.homeStationId ?? null, body.dispatcherOrgIds ?? []);
      const sharing = await initialSharing(db, principal, body);
      const unit = await kernel.write(actorFor(request), (w) =>
        insertUnit(
          w,
          principal,
          {
            name: body.name,
            type: body.type,
            profile: body.profile ?? defaultProfile(body.type),
            status: body.status ?? 'available',
            homeStationId: body.homeStationId ?? null,
            dispatcherOrgIds: (body.dispatcherOrgIds ?? []).filter((o) => o !== principal.orgId),
            attributes: body.attributes ?? {},
            position: body.position ? { ...body.position, at: w.now } : null,
          },
          sharing,
        ),
      );
      return reply.code(201).send(unit);
    });

    app.patch('/units/:id', { schema: { tags: ['units'], summary: 'Change a unit of your organisation', params: IdParams, body: S.UnitChange, response: { 200: S.Unit } } }, async (request) => {
      const principal = requirePermission(request, 'records:write');
      const { version, ...change } = request.body;
      if (change.homeStationId !== undefined || change.dispatcherOrgIds !== undefined) {
        await checkReferences(db, principal, change.homeStationId ?? null, change.dispatcherOrgIds ?? []);
      }
      return kernel.write(actorFor(request), async (w) => {
        const current = await getUnit(w.tx, principal, request.params.id);
        if (!current) throw notFound('unit', request.params.id);
        if (current.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may change this unit');
        if (version !== undefined && version !== current.version) {
          throw conflict(`The unit changed since you read it (your version ${version}, now ${current.version}); reload and try again`, { currentVersion: current.version });
        }
        const dispatcherOrgIds = change.dispatcherOrgIds?.filter((o) => o !== principal.orgId);
        return updateUnit(w, principal, current, { ...change, ...(dispatcherOrgIds ? { dispatcherOrgIds } : {}) });
      });
    });

    app.post(
      '/units/:id/status',
      {
        schema: {
          tags: ['units'],
          summary: "A crew's status report: on-scene, available, out-of-service (dispatching is POST /incidents/{id}/dispatch)",
          params: IdParams,
          body: S.StatusReport,
          response: { 200: S.Unit },
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'records:contribute');
        return kernel.write(actorFor(request), async (w) => {
          const unit = await getUnit(w.tx, principal, request.params.id);
          if (!unit) throw notFound('unit', request.params.id);
          if (unit.ownerOrgId !== principal.orgId) throw forbidden("Only the unit's own organisation reports its status");
          const updated = await reportStatus(w, principal, unit, request.body.status, request.body.note ?? null);
          return (await getUnit(w.tx, principal, updated.id))!;
        });
      },
    );

    app.post(
      '/units/:id/position',
      {
        schema: {
          tags: ['units'],
          summary: "A unit's live position (AVL), from its own organisation; older than the one on record is ignored",
          params: IdParams,
          body: S.NewPosition,
          response: { 200: S.PositionAnswer },
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'records:contribute');
        const unit = await getUnit(db, principal, request.params.id);
        if (!unit) throw notFound('unit', request.params.id);
        if (unit.ownerOrgId !== principal.orgId) throw forbidden("Only the unit's own organisation reports its position");
        const [result] = await acceptPositions(kernel, principal, actorFor(request), [{ unitId: unit.id, position: request.body }]);
        if (result!.reason === 'invalid' || result!.reason === 'future') throw unprocessable(`The position was not accepted: ${result!.detail}`);
        return { accepted: result!.accepted, ...(result!.reason ? { reason: result!.reason, detail: result!.detail } : {}), unit: (await getUnit(db, principal, unit.id))! };
      },
    );

    app.post(
      '/units/positions',
      {
        schema: {
          tags: ['units'],
          summary: 'Live positions of many units at once (an AVL gateway); each is checked on its own, in one transaction',
          body: S.PositionBatch,
          response: { 200: S.PositionBatchResult },
        },
      },
      async (request) => {
        const principal = requirePermission(request, 'records:contribute');
        const reports = request.body.positions.map(({ unitId, ...position }) => ({ unitId, position }));
        const results = await acceptPositions(kernel, principal, actorFor(request), reports);
        return { accepted: results.filter((r) => r.accepted).length, rejected: results.filter((r) => !r.accepted) };
      },
    );

    // The share event goes to the unit's new audience: it carries the unit without its assignment, which
    // follows the incident's sharing (the answer shows it as null too; GET the unit for it).
    shareRoute(app, kernel, {
      kind: 'unit',
      table: 'units',
      path: '/units',
      response: S.Unit,
      load: async (q, viewer, id) => {
        const unit = await getUnit(q, viewer, id);
        return unit && { ...unit, assignment: null };
      },
    });

    app.get(
      '/incidents/:id/dispatch',
      {
        schema: {
          tags: ['dispatch'],
          summary: 'The units you may dispatch that reach the incident first, by type: ETA, distance, route (one search for all units)',
          params: IdParams,
          querystring: S.DispatchQuery,
          response: { 200: S.DispatchRecommendation },
        },
      },
      async (request) => {
        const types = request.query.types
          ?.split(',')
          .map((t) => t.trim())
          .filter(Boolean);
        if (types?.some((t) => !/^[a-z][a-z0-9-]{1,39}$/.test(t))) throw badRequest('types must be unit types separated by commas, e.g. fire-engine,ambulance');
        return recommendUnits(kernel, roads, principalOf(request), request.params.id, { ...(types?.length ? { types: [...new Set(types)] } : {}), perType: request.query.perType ?? 3 });
      },
    );

    app.post(
      '/incidents/:id/dispatch',
      {
        schema: {
          tags: ['dispatch'],
          summary: "Dispatch a unit to an incident: status, a timeline entry, and the route on the live stream",
          params: IdParams,
          body: S.DispatchRequest,
          response: { 201: S.DispatchAnswer },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const outcome = await dispatchUnit(kernel, roads, principal, actorFor(request), request.params.id, request.body);
        const route = outcome.route ? { travelTimeS: outcome.route.travelTimeS, distanceM: outcome.route.distanceM, geometry: outcome.route.geometry, steps: outcome.route.steps } : null;
        return reply.code(201).send({ unit: outcome.unit, route, timelineEntry: outcome.timelineEntry });
      },
    );
  };
}

async function checkReferences(db: Queryable, viewer: { orgId: string; groupIds: ReadonlySet<string> }, homeStationId: string | null, dispatcherOrgIds: string[]): Promise<void> {
  if (homeStationId && (await invisibleAssets(db, viewer, [homeStationId])).length > 0) throw unprocessable(`No asset with id ${homeStationId} exists to be the home station`);
  if (dispatcherOrgIds.length > 0) {
    const known = await db.selectFrom('organisations').select('id').where('id', 'in', dispatcherOrgIds).execute();
    const missing = dispatcherOrgIds.filter((id) => !known.some((k) => k.id === id));
    if (missing.length > 0) throw unprocessable(`These organisations do not exist: ${missing.join(', ')}`);
  }
}
