import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import { type Geometry, geometryProblem } from '../kernel/geo.js';
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
  requirePermission,
  shareRoute,
  unprocessable,
} from '../kernel/http/index.js';
import { IdParams } from '../kernel/http/schemas.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Viewer } from '../kernel/sharing/index.js';
import type { Queryable } from '../kernel/db/connection.js';
import type { AssetFilters, Dependency } from './model.js';
import { type AssetInput, countAssets, getAsset, insertAsset, invisibleAssets, listAssets, updateAsset } from './queries.js';
import * as S from './schemas.js';

export function assetRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;

  async function filtersOf(query: Static<typeof S.AssetQuery>) {
    const common = await commonListQuery(db, query);
    const filters: AssetFilters = {};
    if (query.type) filters.type = query.type;
    if (common.owner) filters.owner = common.owner;
    if (common.bbox) filters.bbox = common.bbox;
    if (common.q) filters.q = common.q;
    if (query.minCriticality) filters.minCriticality = query.minCriticality;
    return { common, filters };
  }

  return async (plain) => {
    const app = plain as VigilApp;

    recordReadRoutes(app, kernel, { kind: 'asset', plural: 'assets', path: '/assets', tag: 'assets', query: S.AssetQuery, record: S.Asset, filtersOf, list: listAssets, count: countAssets, load: getAsset });

    app.post('/assets', { schema: { tags: ['assets'], summary: 'Create an asset of your organisation', body: S.NewAsset, response: { 201: S.Asset } } }, async (request, reply) => {
      const principal = requirePermission(request, 'records:write');
      const body = request.body;
      const geometry = checkedGeometry(body.geometry);
      const dependencies = body.dependencies ?? [];
      await checkDependencies(db, principal, dependencies);
      const sharing = await initialSharing(db, principal, body);
      const asset = await kernel.write(actorFor(request), (w) =>
        insertAsset(w, principal, { name: body.name, type: body.type, criticality: body.criticality ?? 3, geometry, attributes: body.attributes ?? {}, dependencies }, sharing),
      );
      return reply.code(201).send(asset);
    });

    app.patch('/assets/:id', { schema: { tags: ['assets'], summary: 'Change an asset of your organisation', params: IdParams, body: S.AssetChange, response: { 200: S.Asset } } }, async (request) => {
      const principal = requirePermission(request, 'records:write');
      const { version, geometry, ...rest } = request.body;
      const change: Partial<AssetInput> = { ...rest };
      if (geometry !== undefined) change.geometry = checkedGeometry(geometry);
      if (change.dependencies) await checkDependencies(db, principal, change.dependencies, request.params.id);
      return kernel.write(actorFor(request), async (w) => {
        const current = await getAsset(w.tx, principal, request.params.id);
        if (!current) throw notFound('asset', request.params.id);
        if (current.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may change this asset');
        if (version !== undefined && version !== current.version) {
          throw conflict(`The asset changed since you read it (your version ${version}, now ${current.version}); reload and try again`, { currentVersion: current.version });
        }
        return updateAsset(w, principal, current, change);
      });
    });

    shareRoute(app, kernel, { kind: 'asset', table: 'assets', path: '/assets', response: S.Asset, load: getAsset });
  };
}

function checkedGeometry(geometry: unknown): Geometry | null {
  if (geometry === undefined || geometry === null) return null;
  const problem = geometryProblem(geometry);
  if (problem) throw badRequest(`Invalid GeoJSON geometry: ${problem}`);
  return geometry as Geometry;
}

async function checkDependencies(db: Queryable, viewer: Viewer, dependencies: Dependency[], self?: string): Promise<void> {
  if (self && dependencies.some((d) => d.assetId === self)) throw badRequest('An asset cannot depend on itself');
  const missing = await invisibleAssets(db, viewer, [...new Set(dependencies.map((d) => d.assetId))]);
  if (missing.length > 0) throw unprocessable(`These dependency targets do not exist: ${missing.join(', ')}`);
}
