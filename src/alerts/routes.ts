import type { FastifyPluginAsync } from 'fastify';
import type { Static } from 'typebox';
import { invisibleAssets } from '../assets/index.js';
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
import type { AlertFilters } from './model.js';
import { changeAlert, countAlerts, getAlert, listAlerts, raiseAlert } from './queries.js';
import * as S from './schemas.js';

export function alertRoutes(kernel: Kernel): FastifyPluginAsync {
  const db = kernel.store.db;

  async function filtersOf(query: Static<typeof S.AlertQuery>) {
    const common = await commonListQuery(db, query);
    const filters: AlertFilters = {};
    for (const key of ['from', 'to', 'bbox', 'owner', 'q'] as const) if (common[key] !== undefined) (filters as Record<string, unknown>)[key] = common[key];
    if (query.severity) filters.severity = query.severity;
    if (query.minSeverity) filters.minSeverity = query.minSeverity;
    if (query.status) filters.status = query.status;
    if (query.category) filters.category = query.category;
    if (query.asset) filters.assetId = query.asset;
    return { common, filters };
  }

  return async (plain) => {
    const app = plain as VigilApp;

    recordReadRoutes(app, kernel, { kind: 'alert', plural: 'alerts', path: '/alerts', tag: 'alerts', query: S.AlertQuery, record: S.Alert, filtersOf, list: listAlerts, count: countAlerts, load: getAlert });

    app.post(
      '/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Raise an alert for your organisation; a repeat of an open alert with the same dedupKey increments its count (200) instead of adding one (201)',
          body: S.NewAlert,
          response: { 200: S.Alert, 201: S.Alert },
        },
      },
      async (request, reply) => {
        const principal = requirePermission(request, 'records:write');
        const body = request.body;
        let location: Geometry | null = null;
        if (body.location) {
          const problem = geometryProblem(body.location);
          if (problem) throw badRequest(`Invalid GeoJSON location: ${problem}`);
          location = body.location as Geometry;
        }
        const missing = await invisibleAssets(db, principal, body.assetIds ?? []);
        if (missing.length > 0) throw unprocessable(`These assets do not exist: ${missing.join(', ')}`);
        const sharing = await initialSharing(db, principal, body);
        const { alert, deduplicated } = await kernel.write(actorFor(request), (w) =>
          raiseAlert(
            w,
            principal,
            {
              source: body.source ?? (principal.kind === 'token' ? `api:${principal.label}` : `user:${principal.label}`),
              category: body.category,
              severity: body.severity,
              title: body.title,
              description: body.description ?? '',
              time: body.time ? Date.parse(body.time) : w.now,
              location,
              assetIds: body.assetIds ?? [],
              evidence: body.evidence ?? {},
              dedupKey: body.dedupKey ?? null,
            },
            sharing,
          ),
        );
        return reply.code(deduplicated ? 200 : 201).send(alert);
      },
    );

    app.patch('/alerts/:id', { schema: { tags: ['alerts'], summary: 'Acknowledge, dismiss, escalate or correct an alert of your organisation', params: IdParams, body: S.AlertChange, response: { 200: S.Alert } } }, async (request) => {
      const principal = requirePermission(request, 'records:write');
      const { version, ...change } = request.body;
      return kernel.write(actorFor(request), async (w) => {
        const current = await getAlert(w.tx, principal, request.params.id);
        if (!current) throw notFound('alert', request.params.id);
        if (current.ownerOrgId !== principal.orgId) throw forbidden('Only the owner organisation may change this alert');
        if (version !== undefined && version !== current.version) {
          throw conflict(`The alert changed since you read it (your version ${version}, now ${current.version}); reload and try again`, { currentVersion: current.version });
        }
        return changeAlert(w, principal, current, change);
      });
    });

    shareRoute(app, kernel, { kind: 'alert', table: 'alerts', path: '/alerts', response: S.Alert, load: getAlert });
  };
}
